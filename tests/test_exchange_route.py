"""The endpoints' own request handler (`app.api.exchange_route`) answers exactly as
FastAPI's dependency solving does: the same status, headers and body for good requests
and for every kind of bad parameter, alone or together."""

from collections.abc import Iterator

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from app.api.exchange_route import ExchangeRoute
from app.config import Settings
from app.main import create_app

URLS = [
    "/events?limit=2",
    "/events?limit=0",
    "/events?limit=x&cursor=" + "a" * 501,
    "/events?type=coup&type=attack&limit=1",
    "/events?type=nonsense&type=coup",
    "/events?from=2013-13&to=20xx",
    "/events?tpye=coup",
    "/events?tpye=coup&tpye=attack",
    "/events?limit=1&limit=2",
    "/events?lang=de",
    "/events?release=0",
    "/events/mali-coup-2021",
    "/events/mali-coup-2021?lang=nl",
    "/events/Not%20An%20Id",
    "/events/Not%20An%20Id?lang=xx&limit=1",
    "/events/" + "a" * 101,
    "/actors?kind=state&kind=nobody",
    "/actors?type=coup&type=attack",
    "/actors/takuba/events?limit=1&sort=-date",
    "/actors/NOPE/events?limit=-1",
    "/releases/0",
    "/releases/x",
    "/events/facets?facet=type&facet=nope",
    "/e/Bad%20Id",
    "/?limit=1",
]


@pytest.fixture(scope="module")
def clients(seeded_url: str) -> Iterator[tuple[TestClient, TestClient]]:
    """The app as built, and the same app with FastAPI's own handler on every route."""
    settings = Settings(database_url=seeded_url, response_cache_mb=0)
    ours = TestClient(create_app(settings))
    original = ExchangeRoute.get_route_handler
    ExchangeRoute.get_route_handler = APIRoute.get_route_handler  # type: ignore[method-assign]
    try:
        theirs = TestClient(create_app(settings))
    finally:
        ExchangeRoute.get_route_handler = original  # type: ignore[method-assign]
    with ours, theirs:
        yield ours, theirs


@pytest.mark.parametrize("url", URLS)
def test_answers_as_fastapi_would(clients: tuple[TestClient, TestClient], url: str) -> None:
    ours, theirs = (client.get(url) for client in clients)
    assert (ours.status_code, ours.headers, ours.content) == (
        theirs.status_code,
        theirs.headers,
        theirs.content,
    )


def test_the_urls_cover_errors_of_the_query_and_the_path_together(
    clients: tuple[TestClient, TestClient],
) -> None:
    ours, _ = clients
    problem = ours.get("/events/Not%20An%20Id?lang=xx").json()
    assert [(e["location"], e["name"]) for e in problem["errors"]] == [
        ("query", "lang"),
        ("path", "event_id"),
    ]
