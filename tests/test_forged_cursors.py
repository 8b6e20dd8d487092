"""Cursors: only one this API issued, for the same sort order, moves a page on."""

import base64
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from tests.conftest import load_files
from tests.factories import make_actor, make_event, make_source, write_data


def cursor_of(key: object) -> str:
    """A cursor holding `key`, made the way the API makes its own."""
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "!!!",
        "a",
        base64.urlsafe_b64encode(b"not json").decode(),
        cursor_of({"sort": "date"}),
        cursor_of(["date", "2021-05-24"]),
        cursor_of(["date", "2021-05-24", "mali-coup-2021", "extra"]),
        cursor_of(["date", 2021, "mali-coup-2021"]),
    ],
)
def test_a_cursor_the_api_did_not_issue_is_a_400_naming_cursor(
    client: TestClient, cursor: str
) -> None:
    response = client.get("/events", params={"cursor": cursor})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["name"] == "cursor"
    assert error["message"] == "not a cursor this API issued"


def test_a_cursor_says_which_sort_it_was_issued_for(client: TestClient) -> None:
    cursor = cursor_of(["date", "2021-05-24", "mali-coup-2021"])
    response = client.get("/events", params={"cursor": cursor, "sort": "-date"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "issued for sort=date, not sort=-date"


def test_a_hand_made_cursor_of_the_right_shape_continues_after_its_key(
    client: TestClient,
) -> None:
    everything = [e["id"] for e in client.get("/events", params={"limit": 500}).json()["items"]]
    first = client.get("/events", params={"limit": 2}).json()
    key = ["date", first["items"][-1]["earliest"], first["items"][-1]["id"]]
    rest = client.get("/events", params={"limit": 500, "cursor": cursor_of(key)}).json()
    assert [e["id"] for e in rest["items"]] == everything[2:]


def test_next_replaces_the_cursor_and_keeps_every_other_parameter(client: TestClient) -> None:
    first = client.get("/events", params={"limit": 1, "type": ["coup", "withdrawal"]}).json()
    second = client.get(first["next"]).json()
    path, query = second["next"].split("?")
    assert path == "http://testserver/events"
    names = [pair.split("=")[0] for pair in query.split("&")]
    assert names == ["limit", "type", "type", "cursor"]


def test_pages_split_between_events_of_the_same_day_lose_none(
    empty_url: str, tmp_path: Path
) -> None:
    events = [make_event(id=f"same-day-{n}", start="2001-09-11") for n in range(3)]
    path = write_data(
        tmp_path / "ties.json", sources=[make_source()], actors=[make_actor()], events=events
    )
    load_files(empty_url, [path])
    with TestClient(create_app(Settings(database_url=empty_url))) as client:
        seen: list[str] = []
        url: str | None = "/events?limit=1"
        while url:
            body = client.get(url).json()
            seen += [item["id"] for item in body["items"]]
            url = body["next"]
    assert seen == ["same-day-0", "same-day-1", "same-day-2"]


@pytest.mark.parametrize(
    ("path", "params", "key"),
    [
        (
            "/events",
            {"q": "takuba", "sort": "relevance"},
            ["relevance", "3", "2021-05-24", "mali-coup-2021"],
        ),
        ("/actors", {"q": "takuba"}, ["one", "takuba"]),
    ],
)
def test_a_ranked_cursor_holds_only_a_tier_the_ranking_gives(
    client: TestClient, path: str, params: dict[str, str], key: list[str]
) -> None:
    response = client.get(path, params={**params, "cursor": cursor_of(key)})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["name"] == "cursor"
    assert error["message"] == "not a cursor this API issued"
