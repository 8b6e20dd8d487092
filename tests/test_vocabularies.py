"""`GET /tags` and `GET /countries`: the values the `tag=` and `country=` filters take."""

from fastapi.testclient import TestClient


def count_events(client: TestClient, **params: str) -> int:
    total: int = client.get("/events", params={**params, "limit": 1}).json()["total"]
    return total


class TestTags:
    def test_every_tag_with_the_count_its_filter_finds(self, client: TestClient) -> None:
        tags = client.get("/tags").json()
        assert {"id": "coup", "count": count_events(client, tag="coup")} in tags
        for tag in tags[:3]:
            assert tag["count"] == count_events(client, tag=tag["id"])

    def test_most_used_first(self, client: TestClient) -> None:
        counts = [tag["count"] for tag in client.get("/tags").json()]
        assert counts == sorted(counts, reverse=True)


class TestCountries:
    def test_labels_in_the_requested_language(self, client: TestClient) -> None:
        for lang, chad in (("en", "Chad"), ("nl", "Tsjaad"), ("fr", "Tchad")):
            response = client.get("/countries", params={"lang": lang})
            assert response.headers["content-language"] == lang
            found = {c["id"]: c["label"] for c in response.json()}
            assert found["TD"] == chad
            assert found["ML"] == "Mali"

    def test_counts_match_the_filters(self, client: TestClient) -> None:
        countries = {c["id"]: c for c in client.get("/countries").json()}
        assert countries["ML"]["events"] == count_events(client, country="ML")
        actors = client.get("/actors", params={"country": "FR", "limit": 1}).json()
        assert countries["FR"]["actors"] == actors["total"]
        assert list(countries) == sorted(countries)

    def test_listed_in_the_index(self, client: TestClient) -> None:
        links = client.get("/").json()["links"]
        assert links["tags"] == "/tags"
        assert links["countries"] == "/countries"
