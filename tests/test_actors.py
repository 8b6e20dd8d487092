"""`GET /actors`, `GET /actors/{id}` and `GET /actors/{id}/events`."""

from typing import Any

from fastapi.testclient import TestClient


def actor_ids(client: TestClient, **params: Any) -> list[str]:
    response = client.get("/actors", params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


class TestList:
    def test_ordered_by_id_with_total(self, client: TestClient) -> None:
        body = client.get("/actors", params={"limit": 500}).json()
        found = [item["id"] for item in body["items"]]
        assert found == sorted(found)
        assert body["total"] == len(found)

    def test_filter_by_kind_repeated_is_or(self, client: TestClient) -> None:
        people = actor_ids(client, kind="person")
        assert "emmanuel-macron" in people
        assert "france" not in people
        both = actor_ids(client, kind=["person", "multinational_force"])
        assert set(both) == set(people) | {"takuba", "afisma", "minusma", "g5-sahel-joint-force"}

    def test_filter_by_country_and_text(self, client: TestClient) -> None:
        assert "assimi-goita" in actor_ids(client, country="ML")
        assert "emmanuel-macron" not in actor_ids(client, country="ML")
        assert actor_ids(client, q="gsim") == ["jnim"]  # an alias

    def test_paging_walks_every_actor_once_with_link_headers(self, client: TestClient) -> None:
        everything = actor_ids(client, limit=500)
        seen: list[str] = []
        url: str | None = "/actors?limit=7"
        while url and len(seen) <= len(everything):
            response = client.get(url)
            body = response.json()
            seen += [item["id"] for item in body["items"]]
            url = body["next"]
            assert response.headers.get("link") == (url and f'<{url}>; rel="next"')
        assert seen == everything


class TestDetail:
    def test_relations_in_both_directions(self, client: TestClient) -> None:
        takuba = client.get("/actors/takuba").json()
        relations = {(r["direction"], r["type"], r["actor"]["id"]) for r in takuba["relations"]}
        assert ("outgoing", "part_of", "operation-barkhane") in relations
        assert ("incoming", "contributes_to", "estonia") in relations
        estonia = next(r for r in takuba["relations"] if r["actor"]["id"] == "estonia")
        assert estonia["start"] == "2020-07"
        assert estonia["citations"]

    def test_time_bounded_membership(self, client: TestClient) -> None:
        mali = client.get("/actors/mali").json()
        g5 = next(r for r in mali["relations"] if r["actor"]["id"] == "g5-sahel")
        assert (g5["type"], g5["start"], g5["end"]) == ("member_of", "2014-02-16", "2022-06-30")

    def test_examples_from_the_data_model(self, client: TestClient) -> None:
        barkhane = client.get("/actors/operation-barkhane").json()
        assert ("conducted_by", "french-armed-forces") in {
            (r["type"], r["actor"]["id"]) for r in barkhane["relations"]
        }
        jnim = client.get("/actors/jnim").json()
        assert ("affiliated_with", "al-qaeda") in {
            (r["type"], r["actor"]["id"]) for r in jnim["relations"]
        }

    def test_unknown_actor_is_404(self, client: TestClient) -> None:
        response = client.get("/actors/nobody")
        assert response.status_code == 404
        assert response.json()["detail"] == "no actor with id 'nobody'"


class TestActorEvents:
    def test_lists_the_actors_events(self, client: TestClient) -> None:
        body = client.get("/actors/takuba/events").json()
        found = [item["id"] for item in body["items"]]
        assert "netherlands-joins-takuba" in found
        assert "mali-coup-2020" not in found
        assert body["total"] == len(found)

    def test_takes_the_event_filters(self, client: TestClient) -> None:
        body = client.get("/actors/emmanuel-macron/events", params={"from": "2022"}).json()
        assert [i["id"] for i in body["items"]] == [
            "withdrawal-from-mali-announced",
            "barkhane-formally-ended",
            "niger-withdrawal-announced",
        ]
        paged = client.get("/actors/emmanuel-macron/events", params={"limit": 1}).json()
        assert paged["next"].startswith("http://testserver/actors/emmanuel-macron/events?")

    def test_unknown_actor_is_404(self, client: TestClient) -> None:
        assert client.get("/actors/nobody/events").status_code == 404
