"""List items built by the database are the `EventSummary` of each event, field for field."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import migrate, serializers
from app.config import Settings
from app.db import make_engine, make_sessionmaker
from app.main import create_app
from app.models import Event, EventActor
from app.schemas import EventPage
from app.vocabulary import Language
from scripts.generate import write
from tests.conftest import load_files
from tests.databases import fresh_database


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Generated events: every precision, events with and without places, 1–4 actors."""
    directory = tmp_path_factory.mktemp("items")
    with fresh_database(directory) as url:
        migrate.upgrade(url)
        load_files(url, write(directory / "data", 400, seed=5))
        yield url


def summaries(url: str, lang: Language) -> dict[str, dict[str, Any]]:
    """Every event through the ORM and the Pydantic schema, as JSON data."""
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        events = session.scalars(
            select(Event).options(
                selectinload(Event.actors).selectinload(EventActor.actor),
                selectinload(Event.tags),
            )
        )
        found = {
            event.id: serializers.event_summary(event, lang).model_dump(mode="json")
            for event in events
        }
    engine.dispose()
    return found


@pytest.mark.parametrize("lang", list(Language))
@pytest.mark.parametrize("data", ["shipped", "generated"])
def test_every_listed_item_is_the_events_summary(
    request: pytest.FixtureRequest, data: str, lang: Language
) -> None:
    url = request.getfixturevalue("seeded_url" if data == "shipped" else "generated")
    expected = summaries(url, lang)
    with TestClient(create_app(Settings(database_url=url, response_cache_mb=0))) as client:
        response = client.get("/events", params={"limit": 500, "lang": lang.value})
    assert response.status_code == 200
    page = EventPage.model_validate_json(response.content)  # the documented shape
    listed = response.json()["items"]
    assert page.total == len(listed) == len(expected)
    assert {item["id"]: item for item in listed} == expected
    for item in listed:  # the JSON keeps the schema's field order
        assert list(item) == list(expected[item["id"]])
