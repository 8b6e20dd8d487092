"""Search ranked by relevance: `/actors?q=` and `/events?q=…&sort=relevance`.

The expected order is worked out here from the data files, by the rule `docs/api.md`
states: a whole name (title) first, then names holding every word, then the rest; ties by
id for actors, by date and id for events.
"""

import csv
import io
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.search import words
from tests.conftest import DATA_DIR

ACTORS: dict[str, dict[str, Any]] = {
    a["id"]: a for a in json.loads((DATA_DIR / "actors.json").read_text("utf-8"))["actors"]
}
EVENTS: dict[str, dict[str, Any]] = {
    e["id"]: e for e in json.loads((DATA_DIR / "events.json").read_text("utf-8"))["events"]
}


def tier(names: list[str], query: str) -> int:
    """0: the query is a whole name; 1: each word begins a word of some name; 2: else."""
    wanted, named = words(query), [words(name) for name in names]
    if wanted in named:
        return 0
    name_words = [word for name in named for word in name]
    return 1 if all(any(n.startswith(w) for n in name_words) for w in wanted) else 2


def actor_tier(actor_id: str, query: str) -> int:
    actor = ACTORS[actor_id]
    return tier([*actor["name"].values(), *actor.get("aliases", [])], query)


def event_tier(event_id: str, query: str) -> int:
    return tier(list(EVENTS[event_id]["title"].values()), query)


def listed(client: TestClient, path: str, **params: Any) -> list[str]:
    response = client.get(path, params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def walk(client: TestClient, url: str | None) -> list[str]:
    """Every id the pages from `url` on list, following `next`."""
    seen: list[str] = []
    while url is not None and len(seen) <= len(EVENTS) + len(ACTORS):
        body = client.get(url).json()
        seen += [item["id"] for item in body["items"]]
        url = body["next"]
    return seen


# Queries in English, Dutch and French, each matching names and descriptions or titles and
# summaries, so that every list holds more than one tier. `Islamic State` is a whole name of
# one actor whose id sorts after another's that holds both words.
ACTOR_QUERIES = [
    "Takuba",
    "taskforce",
    "Barkhane",
    "Mali",
    "Nederland",
    "armées",
    "etat",
    "Islamic State",
]
EVENT_QUERIES = ["coup", "Takuba", "staatsgreep", "Barkhane", "État", "retrait", "Gao"]


def test_takuba_lists_task_force_takuba_first(client: TestClient) -> None:
    found = listed(client, "/actors", q="Takuba")
    assert found[0] == "takuba"
    assert {"ank-bijleveld", "belgium", "canada"} <= set(found[1:])


@pytest.mark.parametrize("query", ACTOR_QUERIES)
def test_actors_rank_names_above_descriptions_then_by_id(client: TestClient, query: str) -> None:
    found = listed(client, "/actors", q=query)
    expected = sorted(sorted(found), key=lambda actor_id: actor_tier(actor_id, query))
    assert found == expected
    assert len({actor_tier(actor_id, query) for actor_id in found}) > 1


@pytest.mark.parametrize("query", EVENT_QUERIES)
@pytest.mark.parametrize("path", ["/events", "/actors/france/events"])
def test_events_by_relevance_rank_titles_above_summaries_then_by_date(
    client: TestClient, query: str, path: str
) -> None:
    by_date = listed(client, path, q=query)
    found = listed(client, path, q=query, sort="relevance")
    assert found == sorted(by_date, key=lambda event_id: event_tier(event_id, query))
    if path == "/events":
        assert len({event_tier(event_id, query) for event_id in found}) > 1


def test_events_keep_date_order_unless_relevance_is_asked(client: TestClient) -> None:
    found = client.get("/events", params={"q": "coup", "limit": 500}).json()["items"]
    earliest = [item["earliest"] for item in found]
    assert earliest == sorted(earliest)


@pytest.mark.parametrize("limit", [1, 2, 3])
@pytest.mark.parametrize(
    "path",
    [
        "/events?q=takuba&sort=relevance",
        "/actors/france/events?q=barkhane&sort=relevance",
        "/actors?q=takuba",
        "/actors?q=mali",
    ],
)
def test_paging_by_relevance_sees_every_match_once_in_order(
    client: TestClient, path: str, limit: int
) -> None:
    everything = walk(client, f"{path}&limit=500")
    assert len(everything) > 3
    assert walk(client, f"{path}&limit={limit}") == everything


@pytest.mark.parametrize(
    ("path", "accept"),
    [("/events?q=coup&sort=relevance", "text/csv"), ("/actors?q=takuba", "text/csv")],
)
def test_csv_export_follows_the_ranking(client: TestClient, path: str, accept: str) -> None:
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    rows = csv.DictReader(io.StringIO(response.text, newline=""))
    assert [row["id"] for row in rows] == walk(client, f"{path}&limit=500")


def test_geojson_export_follows_the_ranking(client: TestClient) -> None:
    path = "/events.geojson?q=takuba&sort=relevance"
    features = client.get(path).json()["features"]
    ranked = walk(client, path.replace(".geojson", "") + "&limit=500")
    placed = [feature["properties"]["id"] for feature in features]
    assert placed == [event_id for event_id in ranked if event_id in placed]
    assert len(placed) > 1


@pytest.mark.parametrize("path", ["/events", "/events.csv", "/actors/takuba/events"])
def test_relevance_without_q_is_a_400_naming_sort(client: TestClient, path: str) -> None:
    response = client.get(path, params={"sort": "relevance"})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["name"] == "sort"
    assert error["message"] == "sort=relevance ranks by the words of `q`; give q, as in q=takuba"


def test_a_cursor_keeps_its_order(client: TestClient) -> None:
    date_next = client.get("/events", params={"q": "takuba", "limit": 1}).json()["next"]
    response = client.get(date_next.replace("q=takuba", "q=takuba&sort=relevance"))
    assert response.status_code == 400
    assert response.json()["errors"][0]["name"] == "cursor"
    actor_next = client.get("/actors", params={"limit": 1}).json()["next"]
    response = client.get(actor_next + "&q=takuba")
    assert response.status_code == 400
    assert response.json()["errors"][0]["name"] == "cursor"
