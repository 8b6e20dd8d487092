"""Every input rule of the data files, one invalid value each, as `sahel-timeline load` reports it.

Each table below goes into one file loaded once: every broken record must be named with
its exact problem line, and the load must write nothing, not even the valid records.
"""

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app import migrate
from app.config import Settings
from app.main import create_app
from tests.conftest import run_cli
from tests.databases import fresh_database
from tests.factories import (
    citation,
    make_actor,
    make_event,
    make_figure,
    make_source,
    write_data,
)

PATTERN = "String should match pattern"
# (collection, id, what the record has instead of a valid value, the problem reported; a
# problem ending in "..." is the start of a longer one)
FIELD_RULES: list[tuple[str, str, dict[str, Any], str]] = [
    ("sources", "s-language", {"language": "eng"}, f"language: {PATTERN} '^[a-z]{{2}}$'"),
    ("sources", "s-url", {"url": "ftp://example.org"}, f"url: {PATTERN} '^https?://'"),
    (
        "sources",
        "s-publisher",
        {"publisher": " "},
        "publisher: String should have at least 1 character",
    ),
    (
        "sources",
        "s-published",
        {"published": "2021-13"},
        "published: '2021-13': month 13 is not between 01 and 12",
    ),
    ("actors", "Bad_Id", {}, f"id: {PATTERN} '^[a-z0-9]+(-[a-z0-9]+)*$'"),
    ("actors", "a-kind", {"kind": "rebel"}, "kind: Input should be 'person', 'state', ..."),
    ("actors", "a-country", {"country": "fr"}, f"country: {PATTERN} '^[A-Z]{{2}}$'"),
    ("actors", "a-wikidata", {"wikidata": "Q0"}, f"wikidata: {PATTERN} '^Q[1-9][0-9]*$'"),
    ("actors", "a-name", {"name": {"en": "A", "fr": "A"}}, "name.nl: Field required"),
    ("actors", "a-alias", {"aliases": [""]}, "aliases[0]: String should have at least 1 character"),
    (
        "actors",
        "a-citations",
        {"citations": []},
        "citations: List should have at least 1 item after validation, not 0",
    ),
    (
        "events",
        "e-type",
        {"type": "battle"},
        "type: Input should be 'operation', 'operation_end', ...",
    ),
    (
        "events",
        "e-start",
        {"start": "2021-02-30"},
        "start: 2021-02-30: day 30 does not exist in 2021-02",
    ),
    (
        "events",
        "e-end",
        {"end": "2021-05-23"},
        "(record): end 2021-05-23 is before start 2021-05-24",
    ),
    (
        "events",
        "e-importance",
        {"importance": 4},
        "importance: Input should be less than or equal to 3",
    ),
    ("events", "e-tag", {"tags": ["Mali"]}, f"tags[0]: {PATTERN} '^[a-z0-9]+(-[a-z0-9]+)*$'"),
    (
        "events",
        "e-tag-twice",
        {"tags": ["mali", "mali"]},
        "(record): a tag is listed twice",
    ),
    (
        "events",
        "e-role",
        {"actors": [{"actor": "test-actor", "role": "hero"}]},
        "actors[0].role: Input should be 'initiator', 'target', ...",
    ),
    (
        "events",
        "e-role-twice",
        {"actors": [{"actor": "test-actor", "role": "target"}] * 2},
        "(record): an actor is listed twice with the same role",
    ),
    (
        "events",
        "e-latitude",
        {"location": {"place": "P", "latitude": 90.5, "longitude": 0}},
        "location.latitude: Input should be less than or equal to 90",
    ),
    (
        "events",
        "e-longitude",
        {"location": {"place": "P", "latitude": 0, "longitude": -180.5}},
        "location.longitude: Input should be greater than or equal to -180",
    ),
    (
        "events",
        "e-one-coordinate",
        {"location": {"place": "P", "latitude": 1}},
        "location: latitude and longitude go together: give both or neither",
    ),
    (
        "events",
        "e-country",
        {"location": {"place": "P", "country": "MLI"}},
        f"location.country: {PATTERN} '^[A-Z]{{2}}$'",
    ),
    (
        "events",
        "e-figure-value",
        {"figures": [make_figure(value=-1)]},
        "figures[0].value: Input should be greater than or equal to 0",
    ),
    (
        "events",
        "e-figure-measure",
        {"figures": [make_figure(measure="Troops")]},
        f"figures[0].measure: {PATTERN} '^[a-z][a-z0-9_]*$'",
    ),
    (
        "events",
        "e-relation-type",
        {"relations": [{"type": "before", "event": "e-type"}]},
        "relations[0].type: Input should be 'caused', 'part_of' or 'followed_by'",
    ),
    (
        "events",
        "e-quote",
        {"citations": [citation(quote="")]},
        "citations[0].quote: String should have at least 1 character",
    ),
    ("events", "e-unknown-key", {"titel": "x"}, "titel: Extra inputs are not permitted"),
]
# References are checked once every record is valid: a file of these alone.
REFERENCE_RULES: list[tuple[str, str, dict[str, Any], str]] = [
    (
        "actors",
        "a-relation",
        {"relations": [{"type": "member_of", "actor": "ghost", "citations": [citation()]}]},
        "relations[0].actor: no actor with id 'ghost'",
    ),
    (
        "actors",
        "a-source",
        {"citations": [citation(source="no-source")]},
        "citations[0].source: no source with id 'no-source'; did you mean `test-source`?",
    ),
    (
        "events",
        "e-actor",
        {"actors": [{"actor": "ghost", "role": "target"}]},
        "actors[0].actor: no actor with id 'ghost'",
    ),
    (
        "events",
        "e-source",
        {"citations": [citation(source="no-source")]},
        "citations[0].source: no source with id 'no-source'; did you mean `test-source`?",
    ),
    (
        "events",
        "e-figure-source",
        {"figures": [make_figure(citations=[citation(source="no-source")])]},
        "figures[0].citations[0].source: no source with id 'no-source';"
        " did you mean `test-source`?",
    ),
    (
        "events",
        "e-relation",
        {"relations": [{"type": "caused", "event": "no-event"}]},
        "relations[0].event: no event with id 'no-event'",
    ),
]
FACTORIES = {"sources": make_source, "actors": make_actor, "events": make_event}


def _broken_file(path: Path, rules: list[tuple[str, str, dict[str, Any], str]]) -> Path:
    """A valid source and actor, then one record per rule, each breaking only that rule."""
    collections: dict[str, list[dict[str, Any]]] = {
        "sources": [make_source()],
        "actors": [make_actor()],
        "events": [],
    }
    for collection, record_id, overrides, _ in rules:
        record = FACTORIES[collection](id=record_id)
        record.update(overrides)
        collections[collection].append(record)
    return write_data(path, **collections)


def _expected_line(path: Path, rules: list[tuple[str, str, dict[str, Any], str]], n: int) -> str:
    collection, record_id, _, problem = rules[n]
    index = [r[1] for r in rules if r[0] == collection].index(record_id) + (collection != "events")
    return f"{path}: {collection}[{index}] {record_id!r}: {problem}"


Loaded = tuple[Path, subprocess.CompletedProcess[str], dict[str, int]]


def _load(directory: Path, rules: list[tuple[str, str, dict[str, Any], str]]) -> Iterator[Loaded]:
    """Load a file breaking `rules` into a fresh database: the file, the outcome, and how
    many events, actors and sources the API serves afterwards."""
    with fresh_database(directory) as url:
        migrate.upgrade(url)
        path = _broken_file(directory / "broken.json", rules)
        result = run_cli("load", str(path), database_url=url)
        with TestClient(create_app(Settings(database_url=url))) as client:
            served = {
                table: client.get(f"/{table}").json()["total"] for table in ("events", "actors")
            }
        yield path, result, served


@pytest.fixture(scope="module")
def field_load(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    yield from _load(tmp_path_factory.mktemp("fields"), FIELD_RULES)


@pytest.fixture(scope="module")
def reference_load(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    yield from _load(tmp_path_factory.mktemp("references"), REFERENCE_RULES)


def _assert_reported_alone(loaded: Loaded, rules: list[Any], n: int) -> None:
    path, result, served = loaded
    assert result.returncode == 1, result.stderr
    assert "nothing was changed" in result.stderr
    assert served == {"events": 0, "actors": 0}
    expected = _expected_line(path, rules, n)
    record = expected.split(": ")[1]
    lines = [line for line in result.stderr.splitlines() if line.startswith(f"{path}: {record}:")]
    assert len(lines) == 1, f"expected one line, {expected!r}; got {lines}"
    if expected.endswith("..."):
        assert lines[0].startswith(expected[:-3]), lines[0]
    else:
        assert lines[0] == expected


@pytest.mark.parametrize("n", range(len(FIELD_RULES)), ids=[r[1] for r in FIELD_RULES])
def test_each_field_rule_is_reported_and_nothing_is_written(field_load: Loaded, n: int) -> None:
    _assert_reported_alone(field_load, FIELD_RULES, n)


@pytest.mark.parametrize("n", range(len(REFERENCE_RULES)), ids=[r[1] for r in REFERENCE_RULES])
def test_each_unknown_reference_is_reported_and_nothing_is_written(
    reference_load: Loaded, n: int
) -> None:
    _assert_reported_alone(reference_load, REFERENCE_RULES, n)
