"""List items rendered by the load (`event_item`): the same bytes as built on request, and
rebuilt when what they show changes: the event, or the name or kind of one of its actors."""

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select

from app.config import Settings
from app.db import make_engine, make_sessionmaker
from app.main import create_app
from app.models import Event, EventItem
from app.vocabulary import Language
from tests.conftest import run_cli, shipped_files
from tests.factories import localized, make_actor, make_event, make_source, write_data

LISTS = [
    "/events?limit=500",
    "/events?type=attack&from=2013&to=2015&lang=nl",
    "/events?sort=-date&limit=7&lang=fr",
    "/actors/france/events?lang=fr",
    "/events?q=mali&sort=relevance",
    "/events?country=ML&limit=3",
]


def load(url: str, *paths: Path, extra: tuple[str, ...] = ()) -> None:
    result = run_cli("load", *map(str, paths), *extra, database_url=url)
    assert result.returncode == 0, result.stderr


def served(url: str, paths: list[str]) -> list[bytes]:
    with TestClient(create_app(Settings(database_url=url, response_cache_mb=0))) as client:
        responses = [client.get(path) for path in paths]
    assert all(response.status_code == 200 for response in responses)
    return [response.content for response in responses]


def execute(url: str, statement: Any) -> Any:
    """Run `statement` in a transaction of its own; its rows, if it selects."""
    engine = make_engine(url)
    with make_sessionmaker(engine).begin() as session:
        result = session.execute(statement)
        rows = result.all() if statement.is_select else []
    engine.dispose()
    return rows


def count(url: str, model: Any) -> int:
    ((found,),) = execute(url, select(func.count()).select_from(model))
    return int(found)


@pytest.fixture
def shipped_url(empty_url: str) -> str:
    load(empty_url, *shipped_files())
    return empty_url


def test_a_load_renders_every_event_in_every_language(shipped_url: str) -> None:
    events = count(shipped_url, Event)
    assert events > 0
    assert count(shipped_url, EventItem) == events * len(Language)


def test_stored_items_are_the_bytes_built_on_request(shipped_url: str) -> None:
    """A database upgraded without a reload has no items: its pages are built on request,
    and must be the same bytes."""
    stored = served(shipped_url, LISTS)
    execute(shipped_url, delete(EventItem))
    assert served(shipped_url, LISTS) == stored


def write(path: Path, *, actor_name: str, title: str, kind: str = "state", more: int = 0) -> Path:
    actor = make_actor(name=localized(actor_name), kind=kind)
    events = [
        make_event(id="renamed-actor", start="2020-01"),
        make_event(id="retitled", title=localized(title), start="2021-03"),
        *(make_event(id=f"added-{n}", start="2022") for n in range(more)),
    ]
    return write_data(path, sources=[make_source()], actors=[actor], events=events)


@pytest.fixture
def reloaded_url(empty_url: str, tmp_path: Path) -> str:
    """Release 1, then release 2 renames the actor, changes its kind, retitles one event and
    adds two; the other event's record is the same in both."""
    load(empty_url, write(tmp_path / "1.json", actor_name="Old name", title="Old title"))
    second = write(
        tmp_path / "2.json", actor_name="New name", title="New title", kind="armed_group", more=2
    )
    load(empty_url, second, extra=("--replace",))
    return empty_url


@pytest.mark.parametrize("language", [language.value for language in Language])
def test_a_reload_rebuilds_the_items_of_a_renamed_actors_events(
    reloaded_url: str, language: str
) -> None:
    (page,) = served(reloaded_url, [f"/events?lang={language}"])
    items = {item["id"]: item for item in json.loads(page)["items"]}
    assert sorted(items) == ["added-0", "added-1", "renamed-actor", "retitled"]
    assert items["retitled"]["title"] == f"New title ({language})"
    for item in items.values():
        assert [(a["name"], a["kind"]) for a in item["actors"]] == [
            (f"New name ({language})", "armed_group")
        ]


def test_a_reload_leaves_one_item_per_event_and_language(reloaded_url: str) -> None:
    assert count(reloaded_url, EventItem) == 4 * len(Language)


def test_a_pinned_list_shows_a_changed_event_as_the_release_had_it(reloaded_url: str) -> None:
    (page,) = served(reloaded_url, ["/events?release=1&lang=nl"])
    (retitled,) = [item for item in json.loads(page)["items"] if item["id"] == "retitled"]
    assert retitled["title"] == "Old title (nl)"
    assert [actor["name"] for actor in retitled["actors"]] == ["Old name (nl)"]
