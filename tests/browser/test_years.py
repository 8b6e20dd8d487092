"""The page's bar of years (events per year, eras behind) and the counts beside its filters."""

from typing import Any

import httpx2
import pytest
from playwright.sync_api import Browser, FloatRect, Page, expect


def facets(base_url: str, **params: str | int) -> dict[str, Any]:
    body: dict[str, Any] = httpx2.get(f"{base_url}/events/facets", params=params).json()
    return body


def box(page: Page, selector: str) -> FloatRect:
    found = page.locator(selector).bounding_box()
    assert found is not None, f"{selector} is not drawn"
    return found


@pytest.mark.parametrize("lang", ["en", "nl", "fr"])
def test_the_bar_has_each_year_with_the_api_counts(page: Page, base_url: str, lang: str) -> None:
    histogram = facets(base_url, facet="date")["facets"]["date"]
    page.goto(f"/?lang={lang}")
    for bucket in histogram["buckets"]:
        year = page.locator(f'#years li[data-year="{bucket["value"]}"]')
        expect(year).to_have_attribute("data-count", str(bucket["count"]))
    tallest = max(histogram["buckets"], key=lambda b: b["count"])
    height = page.locator(f'#years [data-year="{tallest["value"]}"] .bar').evaluate(
        "bar => bar.getBoundingClientRect().height"
        " / bar.parentElement.getBoundingClientRect().height"
    )
    assert height > 0.5


@pytest.mark.parametrize("javascript", [True, False])
def test_a_year_jumps_to_its_events(browser: Browser, base_url: str, javascript: bool) -> None:
    context = browser.new_context(base_url=base_url, java_script_enabled=javascript)
    page = context.new_page()
    page.goto("/?lang=nl")
    page.locator('#years li[data-year="2021"] a').click()
    expect(page.locator("#year-2021 h2")).to_be_in_viewport()
    assert page.url.endswith("#year-2021")
    context.close()


def test_the_eras_are_bands_behind_the_years_to_scale(page: Page) -> None:
    page.goto("/?lang=fr")
    bar = box(page, "#years")
    serval = box(page, '#eras [data-era-id="operation-serval"]')
    minusma = box(page, '#eras [data-era-id="minusma"]')
    y2013 = box(page, '#years li[data-year="2013"]')
    y2023 = box(page, '#years li[data-year="2023"]')
    # Behind the bars: inside the bar's height; to scale: MINUSMA (2013-2023) spans the years
    # it lasted, and is longer than Serval (2013-2014).
    assert bar["y"] <= serval["y"] < bar["y"] + bar["height"]
    assert y2013["x"] <= minusma["x"] <= y2013["x"] + y2013["width"]
    end = minusma["x"] + minusma["width"]
    assert y2023["x"] <= end <= y2023["x"] + y2023["width"]
    assert serval["width"] < minusma["width"] / 4


def test_filters_show_counts_in_the_chosen_language(page: Page, base_url: str) -> None:
    types = facets(base_url, facet="type", facet_size=100)["facets"]["type"]
    coups = next(v["count"] for v in types if v["value"] == "coup")
    page.goto("/?lang=fr")
    expect(page.locator('#filter-type option[value="coup"]')).to_have_text(f"Coup d'État ({coups})")
    actors = facets(base_url, facet="actor", facet_size=100)["facets"]["actor"]
    takuba = next(v["count"] for v in actors if v["value"] == "takuba")
    expect(page.locator('#filter-actor option[value="takuba"]')).to_contain_text(f"({takuba})")
