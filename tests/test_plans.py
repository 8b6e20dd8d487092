"""Query plans of the main request shapes: each filter is served by its index, in page order.

The statements are the ones the API really runs, captured from requests. The data is
synthetic and large enough for the planner's statistics to matter. On PostgreSQL, where
small tables are always cheapest to scan or sort, scans and sorts are switched off so the
plan shows which index can serve the query in page order; on SQLite the plan is taken as
chosen.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from app import migrate, overlay
from app.config import Settings
from app.main import create_app
from scripts.generate import LEXICON, WORDS, write
from tests.conftest import load_files, statements
from tests.databases import SERVER_URL, fresh_database

EVENTS = 3000


@contextmanager
def loaded(directory: Path, events: int) -> Iterator[TestClient]:
    """A client over a database loaded with `events` generated events."""
    with fresh_database(directory) as url:
        migrate.upgrade(url)
        load_files(url, write(directory / "data", events, seed=3))
        settings = Settings(database_url=url, response_cache_mb=0)
        with TestClient(create_app(settings)) as client:
            yield client


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A client over a database loaded with generated events."""
    with loaded(tmp_path_factory.mktemp("plans"), EVENTS) as client:
        yield client


@pytest.fixture(scope="module")
def pinned(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A client over generated events (release 1) loaded again with one title in a hundred
    corrected (release 2), as the benchmark reads release 1."""
    directory = tmp_path_factory.mktemp("pinned")
    with fresh_database(directory) as url:
        migrate.upgrade(url)
        load_files(url, write(directory / "data", EVENTS, seed=3))
        *_, events = write(directory / "corrected", EVENTS, seed=3, corrected=100)
        load_files(url, [events])
        settings = Settings(database_url=url, response_cache_mb=0)
        with TestClient(create_app(settings)) as client:
            yield client


@pytest.fixture(scope="module")
def wider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """PostgreSQL over enough events that a rare word (`LEXICON`, in 1 event of 1,700)
    falls below the share the default statistics keep: at the default target, the planner
    then knows too few lexemes and assumes every `word:*` matches 2 % of the rows."""
    if SERVER_URL is None:
        pytest.skip("SQLite reads every word's matches from its FTS5 index, whatever the word")
    with loaded(tmp_path_factory.mktemp("wider"), 10_000) as client:
        yield client


def plan(
    client: TestClient, url: str, marker: str, *, in_order: bool = True, chosen: bool = False
) -> str:
    """The plan of the statement of `url` whose SQL contains `marker`, as one string.

    `in_order`: on PostgreSQL, also forbid sorts, to show an index gives page order.
    `chosen`: forbid nothing, to show the plan the planner picks from its statistics.
    """
    sql, params = next(s for s in statements(client, url) if marker in s[0])
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    forbidden = () if chosen else ("seqscan", "bitmapscan", "sort") if in_order else ("seqscan",)
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            for method in forbidden:
                connection.exec_driver_sql(f"SET enable_{method} = off")
            lines = [str(row[0]) for row in connection.exec_driver_sql("EXPLAIN " + sql, params)]
            return "\n".join(_page_part_postgresql(lines) if marker == PAGE else lines)
        rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params).all()
    nodes = [tuple(row) for row in rows]
    return "\n".join(row[-1] for row in (_page_part_sqlite(nodes) if marker == PAGE else nodes))


def overlay_plan(client: TestClient, url: str) -> str:
    """The plan of the page `url` reads from the overlay of its release (a SQLite file
    whatever the database), as one string."""
    seen: list[tuple[Engine, str, Any]] = []

    def capture(connection: Any, _cursor: Any, sql: str, params: Any, *_: Any) -> None:
        if str(overlay.STORE) in str(connection.engine.url) and PAGE in sql:
            seen.append((connection.engine, sql, params))

    event.listen(Engine, "before_cursor_execute", capture)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(Engine, "before_cursor_execute", capture)
    engine, sql, params = seen[-1]
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params).all()
    return "\n".join(row[-1] for row in _page_part_sqlite([tuple(row) for row in rows]))


# A page is read in two steps (`queries.list_events`): the keys of the page, in a subquery
# `page` that must follow an index in page order, then the JSON of those rows (the stored
# items), sorted again (a page's worth) by the outer query. The plans below are of the first
# step.


def _page_part_sqlite(nodes: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The nodes under the top-level subquery that selects the page's keys."""
    top = next(node for node, parent, _, detail in nodes if parent == 0 and "page" in detail)
    inside = {top}
    for node, parent, _, _ in nodes:
        if parent in inside:
            inside.add(node)
    return [row for row in nodes if row[1] in inside]


def _page_part_postgresql(lines: Sequence[str]) -> list[str]:
    """The line of the plan's `Limit` node (the page's ids) and the lines indented below it."""
    start = next(i for i, line in enumerate(lines) if line.lstrip(" ->").startswith("Limit"))

    def indent(line: str) -> int:
        return len(line) - len(line.lstrip())

    part = [lines[start]]
    for line in lines[start + 1 :]:
        if indent(line) <= indent(lines[start]):
            break
        part.append(line)
    return part


PAGE = ") AS page"


def on_sqlite(client: TestClient) -> bool:
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    return engine.dialect.name == "sqlite"


@pytest.mark.parametrize(
    ("url", "index"),
    [
        ("/events", "ix_event_date"),
        ("/events?type=attack", "ix_event_type_date"),
        ("/events?country=ML", "ix_event_country_date"),
        ("/events?importance=3", "ix_event_importance_date"),
        ("/events?type=attack&from=2015&to=2015", "ix_event_type_date"),
    ],
)
def test_pages_read_their_index_in_page_order(synthetic: TestClient, url: str, index: str) -> None:
    chosen = plan(synthetic, url, PAGE)
    assert index in chosen
    if on_sqlite(synthetic):
        assert "TEMP B-TREE FOR ORDER BY" not in chosen  # no sort: the index is in order
    else:
        assert "Sort" not in chosen


def test_a_period_is_a_range_of_the_date_index(synthetic: TestClient) -> None:
    chosen = plan(synthetic, "/events?from=2015&to=2015", PAGE)
    assert "ix_event_date" in chosen
    if on_sqlite(synthetic):
        # bounded on both sides: the longest event span gives the lower bound
        assert "earliest_date>? AND earliest_date<?" in chosen
    else:
        condition = next(line for line in chosen.splitlines() if "Index Cond" in line)
        assert "earliest_date >" in condition
        assert "earliest_date <" in condition


def test_a_deep_page_seeks_instead_of_skipping(synthetic: TestClient) -> None:
    first = synthetic.get("/events", params={"limit": 500}).json()
    chosen = plan(synthetic, first["next"], PAGE)
    assert "ix_event_date" in chosen
    if on_sqlite(synthetic):
        assert (
            "SEARCH event USING COVERING INDEX ix_event_date ((earliest_date,id)>(?,?))" in chosen
        )
    else:  # a seek on both columns of the index, not a filter over the rows before
        assert "Index Cond: (ROW(earliest_date, id) > ROW(" in chosen
        assert "Filter" not in chosen


@pytest.mark.parametrize("url", ["/events?actor=actor-7", "/actors/actor-7/events"])
def test_one_actors_events_are_a_range_of_its_index_in_page_order(
    synthetic: TestClient, url: str
) -> None:
    first = synthetic.get(url + ("&" if "?" in url else "?") + "limit=5").json()
    assert 0 < first["total"] < EVENTS
    for page in (url, first["next"]):
        chosen = plan(synthetic, page, PAGE)
        assert "ix_event_actor_actor_date" in chosen
        if on_sqlite(synthetic):
            assert "TEMP B-TREE FOR ORDER BY" not in chosen
        else:
            assert "Sort" not in chosen


PINNED_PAGES = [
    ("/events?release=1", "ix_event_date"),
    ("/events?release=1&type=attack&from=2015&to=2015", "ix_event_type_date"),
    ("/events?release=1&actor=actor-7", "ix_event_actor_actor_date"),
    ("/actors/actor-7/events?release=1", "ix_event_actor_actor_date"),
]


@pytest.mark.parametrize(("url", "index"), PINNED_PAGES)
def test_a_pinned_page_reads_both_sides_in_page_order(
    pinned: TestClient, url: str, index: str
) -> None:
    """The current tables' page and the overlay's each walk the index in page order and stop
    after a page, probing each row: whether it reads as at the release (one key of
    `read_change`), or whether the overlay answers for it (instead of listing and sorting
    every event it answers for)."""
    first = pinned.get(url + "&limit=5").json()
    assert first["next"] is not None
    for page in (url, first["next"]):
        side = overlay_plan(pinned, page)
        assert index in side
        assert "TEMP B-TREE FOR ORDER BY" not in side
        assert "LIST SUBQUERY" not in side
        chosen = plan(pinned, page, PAGE)
        assert index in chosen
        if on_sqlite(pinned):
            assert "TEMP B-TREE FOR ORDER BY" not in chosen
            assert "SEARCH read_change USING COVERING INDEX" in chosen
            assert "(kind=? AND record_id=? AND release>?)" in chosen
        else:
            assert "Sort" not in chosen


def test_several_actors_start_from_the_actors(synthetic: TestClient) -> None:
    chosen = plan(synthetic, "/events?actor=actor-7&actor=actor-8", PAGE, in_order=False)
    assert "ix_event_actor_actor_date" in chosen


@pytest.mark.parametrize(("marker", "word"), [(PAGE, LEXICON[5]), ("count(", LEXICON[6])])
def test_text_search_goes_through_the_full_text_index(
    synthetic: TestClient, marker: str, word: str
) -> None:
    chosen = plan(synthetic, f"/events?q={word}", marker, in_order=False)
    if on_sqlite(synthetic):
        assert "VIRTUAL TABLE INDEX" in chosen  # event_search MATCH
        assert "SCAN event" not in chosen.replace("SCAN event_search", "")
    else:
        assert "ix_event_search_vector" in chosen
    assert not any("LIKE" in sql for sql, _ in statements(synthetic, f"/events?q={word}&limit=3"))


@pytest.mark.parametrize(("marker", "word"), [(PAGE, LEXICON[11]), ("count(", LEXICON[12])])
def test_a_rare_word_is_read_from_the_full_text_index(
    wider: TestClient, marker: str, word: str
) -> None:
    """Its few matches from the GIN index, then sorted: not a walk of the date index that
    checks every event's words until the page is full (most of the table, for a rare word)."""
    chosen = plan(wider, f"/events?q={word}", marker, chosen=True)
    assert "Bitmap Index Scan on ix_event_search_vector" in chosen
    assert "ix_event_date" not in chosen


def test_a_common_word_walks_the_date_index_until_the_page_is_full(wider: TestClient) -> None:
    """A word in most events is found sooner in date order than by sorting all its matches."""
    chosen = plan(wider, f"/events?q={WORDS[0]}", PAGE, chosen=True)
    assert "Index Scan using ix_event_date" in chosen
    assert "Sort" not in chosen


def test_a_page_counts_each_filter_once_per_data_version(synthetic: TestClient) -> None:
    url = "/events?type=attack&limit=5"
    first = synthetic.get(url).json()
    counts = [sql for sql, _ in statements(synthetic, first["next"]) if "count(" in sql]
    assert counts == []  # the next page reuses the total
    assert synthetic.get(first["next"]).json()["total"] == first["total"]


def test_loaded_rows_and_index_agree(synthetic: TestClient) -> None:
    """The search index was built at the end of the first load: every word finds its events."""
    word = LEXICON[11]
    found = synthetic.get("/events", params={"q": word, "limit": 500}).json()
    assert found["total"] > 0
    assert all(word in item["summary"] for item in found["items"])
