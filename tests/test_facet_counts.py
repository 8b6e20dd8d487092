"""Facet counts kept by the load for the common filters: read instead of counted, equal to
what counting on request gives, and counted again by every load that changes what they count."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.config import Settings
from app.db import make_engine, make_sessionmaker
from app.loading import loader
from app.main import create_app
from app.models import FacetCount
from tests.conftest import DATA_DIR, load_files, shipped_files, statements
from tests.factories import make_actor, make_event, make_source, write_data
from tests.test_facets import FACETS, check_counts, facets

# The whole data set, a type, a year, and a type in a year: the filters a load counts.
COMMON: list[dict[str, Any]] = [
    {},
    {"type": "coup"},
    {"from": "2021", "to": "2021"},
    {"type": "coup", "from": "2020", "to": "2020"},
]
# Filters of exactly the same events as no filter, that no load counts: every event has
# an importance of 1, 2 or 3.
EVERY_IMPORTANCE: dict[str, Any] = {"importance": [1, 2, 3]}


def without_urls(body: Any) -> Any:
    """`body` with every `url` left out, to compare counts of differently filtered requests."""
    if isinstance(body, dict):
        return {k: without_urls(v) for k, v in body.items() if k != "url"}
    if isinstance(body, list):
        return [without_urls(item) for item in body]
    return body


@pytest.fixture
def loaded(empty_url: str) -> Iterator[TestClient]:
    """A client, without response cache, over a fresh database loaded with the shipped data."""
    load_files(empty_url, shipped_files())
    with TestClient(create_app(Settings(database_url=empty_url, response_cache_mb=0))) as client:
        yield client


def kept_versions(url: str) -> set[int]:
    """The data versions the database holds facet counts for."""
    engine = make_engine(url)
    with engine.connect() as connection:
        versions = set(connection.scalars(select(FacetCount.version).distinct()))
    engine.dispose()
    return versions


@pytest.mark.parametrize("filters", COMMON, ids=["everything", "type", "year", "type-in-year"])
@pytest.mark.parametrize("interval", ["year", "month", "day"])
@pytest.mark.parametrize("size", [1, 3, 100])
def test_kept_counts_are_the_totals_of_their_lists(
    client: TestClient, filters: dict[str, Any], interval: str, size: int
) -> None:
    check_counts(client, filters, interval, size)


@pytest.mark.parametrize("filters", COMMON, ids=["everything", "type", "year", "type-in-year"])
@pytest.mark.parametrize("interval", ["year", "month", "day"])
@pytest.mark.parametrize("size", [1, 2, 5, 100])
def test_kept_counts_are_what_counting_on_request_gives(
    client: TestClient, filters: dict[str, Any], interval: str, size: int
) -> None:
    asked: dict[str, Any] = {"facet": FACETS, "interval": interval, "facet_size": size}
    kept = facets(client, **filters, **asked)
    counted = facets(client, **filters, **EVERY_IMPORTANCE, **asked)
    assert without_urls(kept) == without_urls(counted)


@pytest.mark.parametrize("filters", COMMON, ids=["everything", "type", "year", "type-in-year"])
def test_common_filters_read_kept_counts_and_count_nothing(
    loaded: TestClient, filters: dict[str, Any]
) -> None:
    params = {**filters, "facet": ["type", "country", "importance", "disputed", "date"]}
    if not {"type", "from"} <= set(filters):  # kept for a type in a year: these only
        params["facet"] += ["actor", "role", "tag"]
    sql = [s for s, _ in statements(loaded, "/events/facets", params=params)]
    assert any("facet_count" in s for s in sql)
    assert not any("GROUP BY" in s.upper() for s in sql), sql


@pytest.mark.parametrize(
    "filters",
    [
        {"type": ["coup", "attack"]},
        {"from": "2021-02", "to": "2021-03"},
        {"from": "2021", "to": "2021", "date_match": "within"},
        {"actor": "takuba"},
        {"type": "coup", "from": "1990", "to": "1990"},
        EVERY_IMPORTANCE,
    ],
)
def test_other_filters_are_counted_on_request(loaded: TestClient, filters: dict[str, Any]) -> None:
    sql = [s for s, _ in statements(loaded, "/events/facets", params={**filters, "facet": "type"})]
    assert any("GROUP BY" in s.upper() for s in sql), sql


def test_every_kept_filter_counts_what_counting_on_request_gives(
    client: TestClient, seeded_url: str
) -> None:
    engine = make_engine(seeded_url)
    with engine.connect() as connection:
        kept = list(connection.scalars(select(FacetCount.scope).distinct()))
    engine.dispose()
    assert len(kept) > 40  # every type, every year, every type in a year
    for scope in kept:
        named = dict(pair.split("=") for pair in scope.split("&") if pair)
        filters = {"type": named.get("type"), "from": named.get("year"), "to": named.get("year")}
        asked: dict[str, Any] = {"facet": FACETS, "interval": "month", "facet_size": 100}
        known = {k: v for k, v in filters.items() if v is not None}
        counted = facets(client, **known, **EVERY_IMPORTANCE, **asked)
        assert without_urls(facets(client, **known, **asked)) == without_urls(counted), scope


def test_one_actors_facets_and_total_are_one_statement(loaded: TestClient) -> None:
    params = {"actor": "takuba", "facet": ["type", "country", "importance", "disputed", "date"]}
    sql = [s for s, _ in statements(loaded, "/events/facets", params=params)]
    counting = [s for s in sql if "count(" in s.lower() and "facet_count" not in s]
    assert len(counting) == 1, counting


def test_a_load_counts_again_for_its_data_version(
    loaded: TestClient, empty_url: str, tmp_path: Path
) -> None:
    before = {str(f): facets(loaded, **f, facet=["type", "date"]) for f in COMMON}
    added = make_event(id="another-coup", type="coup", start="2021-06-01")
    more = write_data(
        tmp_path / "more.json", sources=[make_source()], actors=[make_actor()], events=[added]
    )
    load_files(empty_url, [more])
    assert kept_versions(empty_url) == {2}
    for filters in COMMON[:3]:
        after = facets(loaded, **filters, facet=["type", "date"])
        assert after["total"] == before[str(filters)]["total"] + 1
        coups = {v["value"]: v["count"] for v in after["facets"]["type"]}["coup"]
        old = {v["value"]: v["count"] for v in before[str(filters)]["facets"]["type"]}["coup"]
        assert coups == old + 1
        check_counts(loaded, filters, "month", 10)
    unchanged = facets(loaded, **COMMON[3], facet=["type", "date"])
    assert unchanged == before[str(COMMON[3])]


def test_a_load_that_changes_nothing_keeps_the_counts(loaded: TestClient, empty_url: str) -> None:
    load_files(empty_url, shipped_files())
    assert kept_versions(empty_url) == {1}


def kept_scopes(url: str) -> list[dict[str, str]]:
    """The filters of every scope the database keeps counts for, as query parameters."""
    engine = make_engine(url)
    with engine.connect() as connection:
        scopes = list(connection.scalars(select(FacetCount.scope).distinct()))
    engine.dispose()
    named = [dict(pair.split("=") for pair in scope.split("&") if pair) for scope in scopes]
    asked = [{"type": n.get("type"), "from": n.get("year"), "to": n.get("year")} for n in named]
    return [{k: v for k, v in filters.items() if v is not None} for filters in asked]


@pytest.mark.parametrize(
    "change",
    [
        {"title": {"en": "Corrected title", "nl": "Verbeterde titel", "fr": "Titre corrigé"}},
        {"tags": ["afisma", "mali", "un", "barkhane"]},
        {"actors": [{"actor": "un-security-council", "role": "announcer"}]},
        {"type": "coup"},
        {"start": "2021-06-01"},
        {"importance": 3},
    ],
    ids=["title", "tag", "role", "type", "year", "importance"],
)
def test_a_load_that_updates_an_event_keeps_counts_equal_to_counting(
    loaded: TestClient, empty_url: str, tmp_path: Path, change: dict[str, Any]
) -> None:
    events = json.loads((DATA_DIR / "events.json").read_text(encoding="utf-8"))["events"]
    events[0] |= change
    updated = write_data(tmp_path / "events.json", events=events)
    engine = make_engine(empty_url)
    with make_sessionmaker(engine).begin() as session:
        loader.load(session, [updated], replace=True)
    engine.dispose()
    assert kept_versions(empty_url) == {2}
    for filters in [*COMMON, *kept_scopes(empty_url)]:
        asked: dict[str, Any] = {"facet": FACETS, "interval": "month", "facet_size": 100}
        counted = facets(loaded, **filters, **EVERY_IMPORTANCE, **asked)
        assert without_urls(facets(loaded, **filters, **asked)) == without_urls(counted), filters
