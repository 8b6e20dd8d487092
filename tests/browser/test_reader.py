"""The timeline page as a reader meets it, in Chromium, in English, Dutch and French: the page
rendered with JavaScript off, its language, dates, emphasis and context, sharing, search and
the first screen of a phone."""

import re
from typing import Any

import httpx2
import pytest
from playwright.sync_api import Browser, Page, Route, ViewportSize, expect

LANGS = ["en", "nl", "fr"]
PHONE: ViewportSize = {"width": 375, "height": 740}
WORDS: dict[str, dict[str, Any]] = {
    "en": {
        "title": "France in the Sahel",
        "dates": {
            "mali-coup-2021": "24 May 2021?",
            "battle-of-ifoghas": "c. 18 February 2013 – 31 March 2013",
            "russian-military-advisers-arrive": "c. December 2021 – January 2022",
            "french-military-deaths-2013-2021": "2013 – June 2021",
        },
        "by": "By",
        "figure": "about 4,500",
        "key": "Key moments only",
        "copied": "Link copied",
        "error": "The timeline could not be loaded:",
        "filters": "Search and filters",
        "related": "Led to:",
    },
    "nl": {
        "title": "Frankrijk in de Sahel",
        "dates": {
            "mali-coup-2021": "24 mei 2021?",
            "battle-of-ifoghas": "rond 18 februari 2013 – 31 maart 2013",
            "russian-military-advisers-arrive": "rond december 2021 – januari 2022",
            "french-military-deaths-2013-2021": "2013 – juni 2021",
        },
        "by": "Door",
        "figure": "ongeveer 4.500",
        "key": "Alleen sleutelmomenten",
        "copied": "Link gekopieerd",
        "error": "De tijdlijn kon niet worden geladen:",
        "filters": "Zoeken en filteren",
        "related": "Leidde tot:",
    },
    "fr": {
        "title": "La France au Sahel",
        "dates": {
            "mali-coup-2021": "24 mai 2021?",
            "battle-of-ifoghas": "vers 18 février 2013 – 31 mars 2013",
            "russian-military-advisers-arrive": "vers décembre 2021 – janvier 2022",
            "french-military-deaths-2013-2021": "2013 – juin 2021",
        },
        "by": "Par",
        "figure": "environ 4\u202f500",
        "key": "Moments clés seulement",
        "copied": "Lien copié",
        "error": "La chronologie n'a pas pu être chargée :",
        "filters": "Recherche et filtres",
        "related": "A conduit à\u00a0:",
    },
}


def api(base_url: str, path: str, **params: str) -> Any:
    return httpx2.get(f"{base_url}{path}", params=params).json()


def total(base_url: str, **params: str) -> int:
    found: int = api(base_url, "/events", **params)["total"]
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_without_javascript_the_page_is_all_there(
    browser: Browser, base_url: str, lang: str
) -> None:
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/?lang={lang}&type=coup")
    expect(page.locator("h1")).to_have_text(WORDS[lang]["title"])
    expect(page.locator("#timeline li.entry")).to_have_count(total(base_url, type="coup"))
    coup = page.locator('[data-event-id="mali-coup-2021"]')
    expect(coup.locator("time").first).to_have_text(WORDS[lang]["dates"]["mali-coup-2021"])
    expect(coup.locator(".place")).to_have_text("Kati, Mali")
    # The plain form works too: the search goes to the server as a query.
    page.locator("#filter-panel > summary").click()
    page.fill("#filter-q", "Takuba")
    page.select_option("#filter-type", "")
    page.locator("#filters button[type=submit]").click()
    expect(page.locator("#timeline li.entry")).to_have_count(total(base_url, q="Takuba"))
    expect(page.locator("button.copy-link").first).to_be_hidden()
    context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_the_page_follows_the_browsers_language(browser: Browser, base_url: str, lang: str) -> None:
    # The server reads Accept-Language; the script reads the browser's own languages when a
    # proxy or a setting sent another header.
    locale = {"en": "en-GB", "nl": "nl-NL", "fr": "fr-FR"}[lang]
    for header in (locale, "de-DE" if lang != "en" else "fr-FR"):
        context = browser.new_context(
            base_url=base_url, locale=locale, extra_http_headers={"Accept-Language": header}
        )
        page = context.new_page()
        page.goto("/")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator("h1")).to_have_text(WORDS[lang]["title"])
        context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_dates_read_as_people_write_them(page: Page, lang: str) -> None:
    page.goto(f"/?lang={lang}")
    for event_id, label in WORDS[lang]["dates"].items():
        time = page.locator(f'[data-event-id="{event_id}"] .meta time')
        expect(time).to_have_text(label)


@pytest.mark.parametrize("lang", LANGS)
def test_month_pickers_span_the_data(page: Page, base_url: str, lang: str) -> None:
    first = api(base_url, "/events", limit="1")["items"][0]["earliest"][:7]
    page.goto(f"/?lang={lang}")
    picker = page.locator("#filter-from")
    expect(picker).to_have_attribute("type", "month")
    expect(picker).to_have_attribute("min", first)
    expect(page.locator("#filter-to")).to_have_attribute("type", "month")
    picker.fill("2022-01")
    expect(page.locator("#timeline li.entry")).to_have_count(total(base_url, **{"from": "2022-01"}))
    assert "from=2022-01" in page.url


@pytest.mark.parametrize("lang", LANGS)
def test_key_moments_stand_out_and_filter(page: Page, base_url: str, lang: str) -> None:
    page.goto(f"/?lang={lang}")
    page.get_by_label(WORDS[lang]["key"]).check()
    key = total(base_url, importance="3")
    expect(page.locator("#timeline li.entry")).to_have_count(key)
    expect(page.locator("#timeline li.entry.key-moment")).to_have_count(key)
    assert "importance=3" in page.url


@pytest.mark.parametrize("lang", LANGS)
def test_places_roles_figures_and_related_events(page: Page, lang: str) -> None:
    words = WORDS[lang]
    page.set_viewport_size(PHONE)
    page.goto(f"/?lang={lang}")
    coup = page.locator('[data-event-id="mali-coup-2021"]')
    expect(coup.locator(".place")).to_have_text("Kati, Mali")
    expect(coup.locator(".actors li").first).to_contain_text(f"{words['by']} Assimi Goïta")
    expect(coup).not_to_contain_text("(initiator)")
    serval = page.locator('[data-event-id="operation-serval"] .actors')
    expect(serval).not_to_contain_text("Serval")
    pau = page.locator('[data-event-id="pau-summit"]')
    pau.locator("summary").click()
    expect(pau.locator(".figures")).to_contain_text(words["figure"])
    coup.locator("summary").click()
    related = coup.locator(".related li", has_text=words["related"]).first
    related.locator("a").click()
    target = related.locator("a").get_attribute("data-event")
    # The link jumps to the related event's card on this page, and nothing the script does
    # after the jump (it would show itself busy while fetching) takes the card out of view.
    expect(page).to_have_url(re.compile(f"#event-{target}$"))
    expect(page.locator("#results")).not_to_have_attribute("aria-busy", "true")
    expect(page.locator(f"#event-{target}")).to_be_in_viewport()


@pytest.mark.parametrize("lang", LANGS)
def test_back_to_a_cards_address_after_filtering_shows_the_card(page: Page, lang: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"/?lang={lang}#event-joint-operations-suspended")
    card = page.locator("#event-joint-operations-suspended")
    expect(card).to_be_in_viewport()
    page.locator("#filter-panel > summary").click()
    page.select_option("#filter-type", "coup")
    expect(page).to_have_url(re.compile("type=coup"))
    expect(card).not_to_be_attached()
    page.go_back()
    expect(page).to_have_url(re.compile("#event-joint-operations-suspended$"))
    expect(page.locator("#results")).not_to_have_attribute("aria-busy", "true")
    expect(card).to_be_in_viewport()


@pytest.mark.parametrize("lang", LANGS)
def test_the_last_update_and_each_history_are_linked(page: Page, base_url: str, lang: str) -> None:
    latest = api(base_url, "/releases")["items"][0]["number"]
    page.goto(f"/?lang={lang}")
    updated = page.locator("#updated")
    expect(updated).to_contain_text(f" {latest},")
    expect(updated.locator("a")).to_have_attribute("href", "/releases")
    entry = page.locator('[data-event-id="takuba"]')
    entry.locator("summary").click()
    history = entry.locator('a[href="/events/takuba/history"]')
    expect(history).to_be_visible()
    history.click()
    assert api(base_url, "/events/takuba/history")
    assert page.url.endswith("/events/takuba/history")


@pytest.mark.parametrize("lang", LANGS)
def test_each_event_has_a_page_to_share_and_a_copy_link(
    browser: Browser, base_url: str, lang: str
) -> None:
    context = browser.new_context(base_url=base_url)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    page = context.new_page()
    page.goto(f"/?lang={lang}")
    coup = page.locator('[data-event-id="mali-coup-2021"]')
    coup.locator("button.copy-link").click()
    expect(coup.locator(".copy-status")).to_have_text(WORDS[lang]["copied"])
    link = f"{base_url}/e/mali-coup-2021?lang={lang}"
    assert page.evaluate("navigator.clipboard.readText()") == link
    coup.locator("h3 a").click()
    page.wait_for_url(link)
    title = api(base_url, "/events/mali-coup-2021", lang=lang)["title"]
    expect(page.locator("h1")).to_have_text(title)
    og = page.locator('meta[property="og:title"]')
    assert (og.get_attribute("content") or "").startswith(title)
    expect(page.locator('meta[name="twitter:card"]')).to_have_attribute("content", "summary")
    expect(page.locator("details")).to_have_attribute("open", "")
    context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_search_with_the_apis_q(page: Page, base_url: str, lang: str) -> None:
    page.goto(f"/?lang={lang}")
    page.fill("#filter-q", "coup")
    page.press("#filter-q", "Enter")
    expect(page.locator("#timeline li.entry")).to_have_count(total(base_url, q="coup"))
    page.fill("#filter-q", "Barkhane")
    page.press("#filter-q", "Enter")
    expect(page.locator("#timeline li.entry")).to_have_count(total(base_url, q="Barkhane"))
    assert "q=Barkhane" in page.url
    assert total(base_url, q="Barkhane") < total(base_url)


@pytest.mark.parametrize("lang", LANGS)
def test_errors_are_said_in_the_pages_language(page: Page, lang: str) -> None:
    page.goto(f"/?lang={lang}")

    def refuse(route: Route) -> None:
        problem = '{"title": "Bad Request", "status": 400, "detail": "bad q"}'
        route.fulfill(status=400, content_type="application/problem+json", body=problem)

    page.route(lambda url: "q=anything" in url, refuse)
    page.fill("#filter-q", "anything")
    page.press("#filter-q", "Enter")
    expect(page.locator("#status")).to_have_text(f"{WORDS[lang]['error']} bad q")


@pytest.mark.parametrize("lang", LANGS)
def test_a_phones_first_screen_shows_events_not_the_form(
    browser: Browser, base_url: str, lang: str
) -> None:
    context = browser.new_context(base_url=base_url, viewport=PHONE)
    page = context.new_page()
    page.goto(f"/?lang={lang}")
    expect(page.locator("#timeline li.entry").first).to_be_in_viewport()
    expect(page.locator("#filters")).to_be_hidden()
    page.get_by_text(WORDS[lang]["filters"]).click()
    expect(page.locator("#filter-q")).to_be_visible()
    context.close()
