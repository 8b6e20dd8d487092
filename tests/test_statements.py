"""How many statements a request runs: each is a round trip on PostgreSQL, so a count that
grows is a slower API there even when SQLite does not notice."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from tests.conftest import statements


@pytest.fixture(scope="module")
def uncached(seeded_url: str) -> Iterator[TestClient]:
    """The shipped data with the response cache off, so that every request reaches the app."""
    with TestClient(create_app(Settings(database_url=seeded_url, response_cache_mb=0))) as client:
        yield client


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # the event's JSON, which is also its existence check, with the data version (ETag)
        ("/events/operation-barkhane", 1),
        ("/events/operation-barkhane?lang=fr", 1),
        # the JSON, then whether a release deleted it (410 or 404)
        ("/events/no-such-event", 2),
        # the data version, then the page with its items' JSON (the total is kept per version)
        ("/events?limit=5", 2),
        ("/events?type=attack&from=2013&to=2021", 2),
    ],
)
def test_statements_per_request(uncached: TestClient, url: str, expected: int) -> None:
    uncached.get(url)  # the first request of a shape also counts its total
    assert len(statements(uncached, url)) == expected
