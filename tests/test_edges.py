"""Period bounds, ties and search over `tests/data/edges.json`: a data set built for its edges.

Its events start on the first and last day of a year and of a month, five share one date,
spans touch a period from either side or end at a coarser precision; each searchable field
of an event and of an actor holds, in one record, a word found nowhere else.
"""

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app import migrate
from app.config import Settings
from app.main import create_app
from tests.conftest import load_files
from tests.databases import fresh_database

EDGES = Path(__file__).parent / "data" / "edges.json"
EVENTS: list[dict[str, Any]] = json.loads(EDGES.read_text(encoding="utf-8"))["events"]


@pytest.fixture(scope="module")
def edges(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A client over a database holding the edge data set alone."""
    with fresh_database(tmp_path_factory.mktemp("edges")) as url:
        migrate.upgrade(url)
        load_files(url, [EDGES])
        with TestClient(create_app(Settings(database_url=url))) as client:
            yield client


def ids(client: TestClient, path: str = "/events", **params: Any) -> list[str]:
    response = client.get(path, params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


# Exactly what each period holds, in date order; spans that touch it from outside count.
PERIODS = [
    pytest.param(
        "2019",
        "2019",
        ["span-into-year", "year-first", "span-out-of-year", "year-last"],
        id="year",
    ),
    pytest.param("2020-02", "2020-02", ["month-first", "month-last"], id="month"),
    pytest.param(
        "2020-06-15",
        "2020-06-15",
        ["open-month", "open-year", "one-day-span", "tie-a", "tie-b", "tie-c", "tie-d"],
        id="day",
    ),
    pytest.param("2019-01-01", "2019-01-01", ["span-into-year", "year-first"], id="first-day"),
    pytest.param("2019-12-31", "2019-12-31", ["span-out-of-year", "year-last"], id="last-day"),
    pytest.param("2021-12", "2022", ["open-year"], id="open-span-end"),
]


@pytest.mark.parametrize(("start", "end", "expected"), PERIODS)
def test_a_period_includes_events_on_both_its_bounds(
    edges: TestClient, start: str, end: str, expected: list[str]
) -> None:
    assert ids(edges, **{"from": start, "to": end}) == expected


@pytest.mark.parametrize(
    ("params", "inside", "outside"),
    [
        ({"to": "2019"}, "year-last", "after-year"),
        ({"to": "2020-02"}, "month-last", "after-month"),
        ({"to": "2020-06-15"}, "tie-d", "day-after"),
        ({"from": "2019"}, "year-first", "before-year"),
        ({"from": "2020-02"}, "month-first", "before-month"),
        ({"from": "2020-06-15"}, "tie-a", "day-before"),
    ],
)
def test_a_period_open_on_one_side_includes_its_bound(
    edges: TestClient, params: dict[str, str], inside: str, outside: str
) -> None:
    found = ids(edges, **params)
    assert inside in found
    assert outside not in found


def _page_order(descending: bool) -> list[str]:
    """Every event by (first day it can mean, id): the order pages promise."""
    key = [((e["start"] + "-01-01")[:10], e["id"]) for e in EVENTS]
    return [event_id for _, event_id in sorted(key, reverse=descending)]


@pytest.mark.parametrize("path", ["/events", "/actors/edge-actor/events"])
@pytest.mark.parametrize("sort", ["date", "-date"])
@pytest.mark.parametrize("limit", [1, 2, 3])
def test_paging_sees_every_event_once_in_order(
    edges: TestClient, path: str, sort: str, limit: int
) -> None:
    seen: list[str] = []
    url: str | None = f"{path}?limit={limit}&sort={sort}"
    while url is not None and len(seen) <= len(EVENTS):
        body = edges.get(url).json()
        assert len(body["items"]) <= limit
        seen += [item["id"] for item in body["items"]]
        url = body["next"]
    assert seen == _page_order(descending=sort == "-date")


@pytest.mark.parametrize("path", ["/events", "/actors/edge-actor/events"])
@pytest.mark.parametrize("sort", ["date", "-date"])
def test_csv_export_holds_every_event_once_in_order(
    edges: TestClient, path: str, sort: str
) -> None:
    response = edges.get(path, params={"sort": sort}, headers={"Accept": "text/csv"})
    assert response.status_code == 200, response.text
    rows = csv.DictReader(io.StringIO(response.text, newline=""))
    assert [row["id"] for row in rows] == _page_order(descending=sort == "-date")


LANGUAGES = ("en", "nl", "fr")


def _planted(table: str, fields: tuple[str, ...], alone: str) -> list[tuple[str, str, str]]:
    """One word per field and language, each in a record of its own, and one in `alone`."""
    words = [(table, f"find-{f}-{lang}", f"xq{f}{lang}") for f in fields for lang in LANGUAGES]
    return [*words, (table, f"find-{alone}", f"xq{alone}")]


PLANTED = _planted("/events", ("title", "summary"), "place") + _planted(
    "/actors", ("name", "description"), "alias"
)


@pytest.mark.parametrize(("table", "record", "word"), PLANTED)
def test_search_finds_each_field_in_each_language_and_nothing_else(
    edges: TestClient, table: str, record: str, word: str
) -> None:
    for path in ("/events", "/actors"):
        for lang in LANGUAGES:
            expected = [record] if path == table else []
            assert ids(edges, path, q=word, lang=lang) == expected, (path, lang)
