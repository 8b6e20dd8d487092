"""The page's histogram of events by year and the counts beside its filters, in Chromium."""

from typing import Any

import httpx2
from playwright.sync_api import Page, expect


def facets(base_url: str, **params: str | int) -> dict[str, Any]:
    body: dict[str, Any] = httpx2.get(f"{base_url}/events/facets", params=params).json()
    return body


def test_histogram_has_a_bar_per_year_with_the_api_counts(page: Page, base_url: str) -> None:
    histogram = facets(base_url, facet="date")["facets"]["date"]
    page.goto("/")
    bars = page.locator("#histogram .bucket")
    expect(bars).to_have_count(len(histogram["buckets"]))
    for bucket in histogram["buckets"]:
        bar = page.locator(f'#histogram .bucket[data-year="{bucket["value"]}"]')
        expect(bar).to_have_attribute("data-count", str(bucket["count"]))
    tallest = max(histogram["buckets"], key=lambda b: b["count"])
    height = page.locator(f'[data-year="{tallest["value"]}"] .bar').evaluate(
        "bar => bar.getBoundingClientRect().height"
        " / bar.parentElement.getBoundingClientRect().height"
    )
    assert height > 0.9


def test_clicking_a_bar_filters_to_its_year(page: Page, base_url: str) -> None:
    page.goto("/")
    page.locator('#histogram .bucket[data-year="2013"]').click()
    expect(page.locator("#filter-from")).to_have_value("2013")
    in_2013 = httpx2.get(f"{base_url}/events", params={"from": "2013", "to": "2013"}).json()
    expect(page.locator("#timeline li.entry")).to_have_count(in_2013["total"])


def test_filters_show_counts_in_the_chosen_language(page: Page, base_url: str) -> None:
    types = facets(base_url, facet="type", facet_size=100)["facets"]["type"]
    coups = next(v["count"] for v in types if v["value"] == "coup")
    page.goto("/#lang=fr")
    expect(page.locator('#filter-type option[value="coup"]')).to_have_text(f"Coup d'État ({coups})")
    actors = facets(base_url, facet="actor", facet_size=100)["facets"]["actor"]
    takuba = next(v["count"] for v in actors if v["value"] == "takuba")
    expect(page.locator('#filter-actor option[value="takuba"]')).to_contain_text(f"({takuba})")
