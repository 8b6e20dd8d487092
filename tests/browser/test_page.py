"""The built-in timeline page, Swagger UI and TimelineJS, in a real browser."""

import re
from urllib.parse import parse_qs, urlparse

import httpx2
import pytest
from playwright.sync_api import Page, expect


def total(base_url: str, **params: str) -> int:
    count: int = httpx2.get(f"{base_url}/events", params=params).json()["total"]
    return count


def test_page_shows_every_event_on_the_time_axis(page: Page, base_url: str) -> None:
    page.goto("/")
    entries = page.locator("#timeline li.entry")
    expect(entries).to_have_count(total(base_url))
    expect(page.locator("#status")).to_have_text(f"{total(base_url)} events")
    expect(page.locator("#timeline li.year h2").first).to_have_text("2012")
    coup = page.locator('[data-event-id="mali-coup-2021"]')
    expect(coup).to_contain_text("Second coup in Mali")
    expect(coup.locator(".actors li").first).to_have_text("By Assimi Goïta, Malian Armed Forces")
    expect(coup.locator(".badge").first).to_have_text("Coup")


def test_filter_to_takuba_then_switch_to_dutch(page: Page, base_url: str) -> None:
    page.goto("/")
    expect(page.locator("#timeline li.entry")).to_have_count(total(base_url))
    page.select_option("#filter-actor", "takuba")
    takuba = total(base_url, actor="takuba")
    expect(page.locator("#timeline li.entry")).to_have_count(takuba)
    page.get_by_role("link", name="Nederlands").click()
    expect(page.locator("h1")).to_have_text("Frankrijk in de Sahel")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("#timeline li.entry")).to_have_count(takuba)
    expect(page.locator('[data-event-id="netherlands-joins-takuba"] h3')).to_have_text(
        "Nederland tekent voor zijn bijdrage aan Takuba"
    )
    expect(page.locator("#filter-actor")).to_have_value("takuba")
    assert parse_qs(urlparse(page.url).query) == {"lang": ["nl"], "actor": ["takuba"]}


def test_type_and_date_filters(page: Page, base_url: str) -> None:
    page.goto("/?from=2021-05&to=2021-06")
    expect(page.locator("#timeline li.entry")).to_have_count(
        total(base_url, **{"from": "2021-05", "to": "2021-06"})
    )
    page.select_option("#filter-type", "coup")
    expect(page.locator("#timeline li.entry")).to_have_count(1)
    page.fill("#filter-from", "2020-01")
    expect(page.locator("#timeline li.entry")).to_have_count(2)


def test_back_returns_to_the_filters_before(page: Page, base_url: str) -> None:
    page.goto("/?lang=fr")
    page.select_option("#filter-type", "coup")
    expect(page.locator("#timeline li.entry")).to_have_count(total(base_url, type="coup"))
    page.go_back()
    expect(page.locator("#timeline li.entry")).to_have_count(total(base_url))
    expect(page.locator("#filter-type")).to_have_value("")
    assert urlparse(page.url).query == "lang=fr"


def test_links_from_before_the_query_still_open_their_view(page: Page, base_url: str) -> None:
    page.goto("/#lang=nl&actor=takuba")
    expect(page.locator("#timeline li.entry")).to_have_count(total(base_url, actor="takuba"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")


def test_details_show_figures_and_the_source_quote(page: Page) -> None:
    page.goto("/?lang=fr&type=casualties")
    entry = page.locator('[data-event-id="french-military-deaths-2013-2021"]')
    entry.locator("summary").click()
    expect(entry.locator("blockquote").first).to_contain_text("meer dan vijfduizend")
    expect(entry.locator(".figures li").first).to_contain_text("55")
    expect(entry.locator(".dispute").first).to_contain_text("55 is the army staff")
    expect(entry.locator(".dispute strong").first).to_have_text(
        "Là où les sources divergent (en anglais) :"
    )


def test_keyboard_only_language_switch(page: Page) -> None:
    page.goto("/")
    expect(page.locator("#timeline li.entry").first).to_be_visible()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.lang") == "fr":
            break
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("La France au Sahel")


def test_usable_on_a_phone_screen(browser: object, base_url: str, page: Page) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/")
    expect(page.locator("#timeline li.entry").first).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


@pytest.mark.parametrize(
    ("path", "selector"), [("/docs", ".opblock"), ("/redoc", "[data-section-id]")]
)
def test_docs_render_with_no_network(page: Page, path: str, selector: str) -> None:
    page.goto(path)
    expect(page.locator(selector).first).to_be_visible(timeout=15000)


@pytest.mark.parametrize("query", ["", "?actor=takuba&lang=nl"])
@pytest.mark.usefixtures("timelinejs")
def test_timelinejs_renders_the_timeline(page: Page, base_url: str, query: str) -> None:
    source = f"/timeline{query}"
    expected = len(httpx2.get(base_url + source).json()["events"])
    page.goto(f"/_test/timeline.html?source={source.replace('&', '%26').replace('?', '%3F')}")
    page.wait_for_function("window.timelineLoaded === true", timeout=15000)
    slides = page.evaluate("window.timeline.config.events.length")
    assert slides == expected
    assert page.evaluate("window.timeline.config.isValid()") is True
    expect(page.locator(".tl-slide")).to_have_count(expected + 1)  # and the title slide
    expect(page.locator(".tl-timemarker").first).to_be_attached()
    assert re.search(r"\S", page.locator(".tl-headline").first.inner_text())


@pytest.mark.usefixtures("timelinejs")
def test_timelinejs_says_nothing_matched_instead_of_an_error(page: Page) -> None:
    source = "/timeline?from=1990&to=1991"
    page.goto(f"/_test/timeline.html?source={source.replace('&', '%26').replace('?', '%3F')}")
    page.wait_for_function("window.timelineLoaded === true", timeout=15000)
    assert page.evaluate("window.timeline.config.isValid()") is True
    assert page.evaluate("window.timeline.config.events.length") == 1
    expect(page.locator(".tl-slide")).to_have_count(2)  # the title and the one slide
    expect(page.locator(".tl-headline").first).to_have_text("No events match")
    expect(page.get_by_text("Timeline configuration has no events")).to_have_count(0)
