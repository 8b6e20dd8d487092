"""Events as JSON built by the database equal the schemas filled from the ORM, field for field.

The expected values are built here, independently of `app/event_json.py`: from ORM objects into
the Pydantic response models (`EventSummary`, `EventRead`), as the API built them before.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field, create_model
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import edtf_dates, event_json, migrate, queries, serializers
from app.config import Settings
from app.db import make_engine, make_sessionmaker
from app.main import create_app
from app.models import Dispute, Event, Figure
from app.schemas import (
    DisputeRead,
    EventPage,
    EventRead,
    EventRef,
    EventRelationRead,
    EventSummary,
    FigureRead,
    LocationRead,
    ParticipantRead,
)
from app.vocabulary import EventRelationType, Language
from scripts.generate import write
from tests.conftest import load_files
from tests.databases import fresh_database
from tests.factories import make_actor, make_event, make_source, write_data


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Generated events: every precision, events with and without places, 1–4 actors."""
    directory = tmp_path_factory.mktemp("items")
    with fresh_database(directory) as url:
        migrate.upgrade(url)
        load_files(url, write(directory / "data", 400, seed=5))
        yield url


def expected_summary(row: Event, lang: Language) -> EventSummary:
    """An event as listed, from its ORM object."""
    location = None
    if row.place is not None:
        location = LocationRead(
            place=row.place, country=row.country, latitude=row.latitude, longitude=row.longitude
        )
    actors = [
        ParticipantRead(**serializers.actor_ref(p.actor, lang).model_dump(), role=p.role)
        for p in row.actors
    ]
    return EventSummary(
        id=row.id,
        url=f"http://testserver/events/{row.id}",
        type=row.type,
        title=serializers.localized(row, "title", lang),
        summary=serializers.localized(row, "summary", lang),
        start=row.start_date,
        end=row.end_date,
        precision=edtf_dates.parse(row.start_date).precision,
        earliest=row.earliest_date,
        latest=row.latest_date,
        uncertain=any(edtf_dates.is_qualified(d, "?", "%") for d in (row.start_date, row.end_date)),
        approximate=any(
            edtf_dates.is_qualified(d, "~", "%") for d in (row.start_date, row.end_date)
        ),
        location=location,
        tags=[t.tag for t in row.tags],
        importance=row.importance,
        disputed=row.disputed,
        actors=actors,
    )


def _disputes(rows: list[Dispute]) -> list[DisputeRead]:
    return [DisputeRead(note=d.note, citations=serializers.citations(d.citations)) for d in rows]


def _figure(row: Figure, lang: Language) -> FigureRead:
    return FigureRead(
        measure=row.measure,
        value=row.value,
        qualifier=row.qualifier,
        unit=row.unit,
        as_of=row.as_of,
        description=serializers.localized(row, "description", lang),
        disputed=bool(row.disputes),
        disputes=_disputes(row.disputes),
        citations=serializers.citations(row.citations),
    )


def _relation(kind: str, direction: str, other: Event, lang: Language) -> EventRelationRead:
    title = serializers.localized(other, "title", lang)
    return EventRelationRead(
        type=EventRelationType(kind),
        direction="outgoing" if direction == "outgoing" else "incoming",
        event=EventRef(id=other.id, title=title, start=other.start_date),
    )


def expected_event(row: Event, lang: Language) -> EventRead:
    """An event in full, from its ORM object: outgoing relations first, then incoming."""
    relations = [_relation(r.type, "outgoing", r.object, lang) for r in row.outgoing] + [
        _relation(r.type, "incoming", r.subject, lang) for r in row.incoming
    ]
    return EventRead(
        **expected_summary(row, lang).model_dump(),
        figures=[_figure(f, lang) for f in row.figures],
        citations=serializers.citations(row.citations),
        disputes=_disputes(row.disputes),
        relations=relations,
    )


def orm_events(session: Session) -> list[Event]:
    """Every event with all it shows, through the query the JSON-LD representation uses."""
    ids = session.scalars(select(Event.id).order_by(Event.id)).all()
    return [event for event_id in ids if (event := queries.get_event(session, event_id))]


def assert_same(actual: dict[str, Any], expected: dict[str, Any]) -> None:
    """Equal, and in the schema's field order (which dict equality ignores)."""
    assert actual == expected
    assert list(actual) == list(expected)


@pytest.mark.parametrize("lang", list(Language))
@pytest.mark.parametrize("data", ["shipped", "generated"])
def test_every_listed_item_is_the_events_summary(
    request: pytest.FixtureRequest, data: str, lang: Language
) -> None:
    url = request.getfixturevalue("seeded_url" if data == "shipped" else "generated")
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        expected = {
            event.id: expected_summary(event, lang).model_dump(mode="json")
            for event in orm_events(session)
        }
    engine.dispose()
    with TestClient(create_app(Settings(database_url=url, response_cache_mb=0))) as client:
        response = client.get("/events", params={"limit": 500, "lang": lang.value})
    assert response.status_code == 200
    page = EventPage.model_validate_json(response.content)  # the documented shape
    listed = response.json()["items"]
    assert page.total == len(listed) == len(expected)
    for item in listed:
        assert_same(item, expected[item["id"]])


@pytest.mark.parametrize("lang", list(Language))
def test_every_full_event_is_the_events_read_model(seeded_url: str, lang: Language) -> None:
    """On the shipped data, which has figures, disputes, citations and relations both ways."""
    engine = make_engine(seeded_url)
    with make_sessionmaker(engine)() as session:
        events = orm_events(session)
        expected = {
            event.id: expected_event(event, lang).model_dump(mode="json") for event in events
        }
    engine.dispose()
    assert any(e["figures"] and e["disputes"] for e in expected.values())
    assert any(r["direction"] == "incoming" for e in expected.values() for r in e["relations"])
    settings = Settings(database_url=seeded_url, response_cache_mb=0)
    with TestClient(create_app(settings)) as client:
        for event_id, want in expected.items():
            response = client.get(f"/events/{event_id}", params={"lang": lang.value})
            assert response.status_code == 200
            EventRead.model_validate_json(response.content)  # the documented shape
            assert_same(response.json(), want)


ROLES = ("initiator", "target")


def pages(client: TestClient, url: str) -> tuple[list[str], int]:
    """Every event id of `url`, following `next` links 7 at a time, and the total."""
    ids: list[str] = []
    response = client.get(url + "&limit=7").json()
    total = response["total"]
    while True:
        ids += [item["id"] for item in response["items"]]
        if not response["next"]:
            return ids, total
        response = client.get(response["next"]).json()


@pytest.mark.parametrize("sort", ["date", "-date"])
def test_one_actors_pages_equal_the_general_filters(generated: str, sort: str) -> None:
    """One actor's events come from its index (`app.queries.events._page`); with another filter
    that excludes nothing they take the general path: the two agree, page by page."""
    settings = Settings(database_url=generated, response_cache_mb=0)
    with TestClient(create_app(settings)) as client:
        for actor in ("actor-1", "actor-2", "actor-3"):
            alone = pages(client, f"/events?actor={actor}&sort={sort}")
            general = pages(client, f"/events?actor={actor}&sort={sort}&from=1000")
            assert alone == general
            assert alone[1] == len(alone[0]) == len(set(alone[0])) > 7
            nested = pages(client, f"/actors/{actor}/events?sort={sort}")
            assert nested == alone


def test_an_actor_in_two_roles_lists_the_event_once(tmp_path: Path, empty_url: str) -> None:
    events = [
        make_event(id="both", actors=[{"actor": "test-actor", "role": r} for r in ROLES]),
        make_event(id="later", start="2022"),
    ]
    base = write_data(tmp_path / "base.json", sources=[make_source()], actors=[make_actor()])
    load_files(empty_url, [base, write_data(tmp_path / "events.json", events=events)])
    with TestClient(create_app(Settings(database_url=empty_url))) as client:
        assert pages(client, "/events?actor=test-actor") == (["both", "later"], 2)


@pytest.mark.parametrize(
    ("model", "field"),
    [("EventSummary", "casualties"), ("SourceRead", "archive_url")],
)
def test_a_response_field_the_sql_does_not_build_stops_the_app(
    monkeypatch: pytest.MonkeyPatch, model: str, field: str
) -> None:
    """A field added to a response model and not to the SQL fails at start, on both backends."""
    original: type[BaseModel] = getattr(event_json, model)
    added: dict[str, Any] = {field: (str, Field(description="New."))}
    extended = create_model(model, __base__=original, **added)
    monkeypatch.setattr(event_json, model, extended)
    with pytest.raises(event_json.ShapeError, match=f"sqlite: .*{model}.*missing \\['{field}'\\]"):
        create_app(Settings(database_url="sqlite://"))
