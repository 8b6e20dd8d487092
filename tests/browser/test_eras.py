"""The page's eras (the operations beside the years) and its key moments, in Chromium."""

import re

import pytest
from playwright.sync_api import Page, expect

KEY_MOMENT = re.compile(r"\bkey-moment\b")
ERAS = {
    "en": [
        ("operation-serval", "Operation Serval", "2013–2014"),
        ("minusma", "MINUSMA, the UN mission in Mali", "2013–2023"),
        ("operation-barkhane", "Operation Barkhane", "2014–2022"),
        ("takuba", "Task Force Takuba", "2020–2022"),
    ],
    "nl": [
        ("operation-serval", "Operatie Serval", "2013–2014"),
        ("minusma", "MINUSMA, de VN-missie in Mali", "2013–2023"),
        ("operation-barkhane", "Operatie Barkhane", "2014–2022"),
        ("takuba", "Taskforce Takuba", "2020–2022"),
    ],
    "fr": [
        ("operation-serval", "Opération Serval", "2013–2014"),
        ("minusma", "La MINUSMA, mission des Nations unies au Mali", "2013–2023"),
        ("operation-barkhane", "Opération Barkhane", "2014–2022"),
        ("takuba", "Task Force Takuba", "2020–2022"),
    ],
}


@pytest.mark.parametrize("lang", ["en", "nl", "fr"])
def test_the_four_operations_are_shown_as_eras_with_their_spans(page: Page, lang: str) -> None:
    page.goto(f"/?lang={lang}")
    eras = page.locator("#eras .era")
    expect(eras).to_have_count(4)
    for index, (era_id, label, span) in enumerate(ERAS[lang]):
        expect(eras.nth(index)).to_have_attribute("data-era-id", era_id)
        expect(eras.nth(index).locator(".era-label")).to_have_text(label)
        expect(eras.nth(index).locator(".era-span")).to_have_text(span)


def test_each_year_names_the_operations_under_way(page: Page) -> None:
    page.goto("/?lang=fr")
    year = page.locator("#timeline li.year", has=page.locator("h2", has_text="2021"))
    expect(year.locator(".eras-now li")).to_have_text(
        ["La MINUSMA, mission des Nations unies au Mali", "Opération Barkhane", "Task Force Takuba"]
    )
    expect(
        page.locator("#timeline li.year", has=page.locator("h2", has_text="2012")).locator(
            ".eras-now"
        )
    ).to_have_count(0)


def test_eras_stay_when_the_timeline_is_filtered(page: Page) -> None:
    page.goto("/?type=coup")
    expect(page.locator("#eras .era-label")).to_have_text([label for _, label, _ in ERAS["en"]])


@pytest.mark.parametrize(
    ("lang", "badge"), [("en", "Key moment"), ("nl", "Sleutelmoment"), ("fr", "Moment clé")]
)
def test_a_key_moment_carries_the_badge_and_others_do_not(
    page: Page, lang: str, badge: str
) -> None:
    page.goto(f"/?lang={lang}")
    coup = page.locator('[data-event-id="mali-coup-2021"]')
    expect(coup).to_have_class(KEY_MOMENT)
    expect(coup.locator(".badge.key")).to_have_text(badge)
    minor = page.locator('[data-event-id="konna-retaken"]')
    expect(minor).to_be_visible()
    expect(minor).not_to_have_class(KEY_MOMENT)
    expect(minor.locator(".badge.key")).to_have_count(0)
