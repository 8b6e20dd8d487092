"""Absolute `url`, `next` and `Link`: from `PUBLIC_BASE_URL`, else from the request."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app

BASE = "https://timeline.example.org/api"


@pytest.fixture(scope="module")
def public(seeded_url: str) -> Iterator[TestClient]:
    """A client of an app configured with a public base URL (written with a final `/`)."""
    settings = Settings(database_url=seeded_url, public_base_url=BASE + "/")
    with TestClient(create_app(settings)) as test_client:
        yield test_client


class TestFromTheRequest:
    def test_event_list_links_name_the_host_asked(self, client: TestClient) -> None:
        response = client.get("/events?limit=1", headers={"Host": "news.example:8950"})
        body = response.json()
        assert body["items"][0]["url"].startswith("http://news.example:8950/events/")
        assert body["next"].startswith("http://news.example:8950/events?limit=1&cursor=")
        assert response.headers["link"] == f'<{body["next"]}>; rel="next"'

    def test_event_url_and_json_ld_id_agree(self, client: TestClient) -> None:
        event = client.get("/events/mali-coup-2021").json()
        ld = client.get("/events/mali-coup-2021", headers={"Accept": "application/ld+json"})
        assert event["url"] == ld.json()["@id"] == "http://testserver/events/mali-coup-2021"


class TestConfiguredBase:
    def test_event_pages_items_and_link(self, public: TestClient) -> None:
        response = public.get("/events?limit=2&type=coup", headers={"Host": "internal:8000"})
        body = response.json()
        assert [i["url"] for i in body["items"]] == [
            f"{BASE}/events/{i['id']}" for i in body["items"]
        ]
        assert body["next"].startswith(f"{BASE}/events?limit=2&type=coup&cursor=")
        assert response.headers["link"] == f'<{body["next"]}>; rel="next"'
        assert public.get(body["next"].removeprefix(BASE)).status_code == 200

    def test_full_event_and_exports(self, public: TestClient) -> None:
        assert public.get("/events/mali-coup-2021").json()["url"] == (
            f"{BASE}/events/mali-coup-2021"
        )
        features = public.get("/events.geojson").json()["features"]
        assert all(f["properties"]["url"].startswith(f"{BASE}/events/") for f in features)
        csv = public.get("/events.csv", params={"type": "coup"}).text
        assert f",{BASE}/events/mali-coup-2021" in csv

    def test_actors_and_json_ld(self, public: TestClient) -> None:
        listed = public.get("/actors", params={"limit": 1}).json()
        assert listed["items"][0]["url"] == f"{BASE}/actors/{listed['items'][0]['id']}"
        assert listed["next"].startswith(f"{BASE}/actors?limit=1&cursor=")
        takuba = public.get("/actors/takuba").json()
        ld = public.get("/actors/takuba", headers={"Accept": "application/ld+json"}).json()
        assert takuba["url"] == ld["@id"] == f"{BASE}/actors/takuba"
        assert f",{BASE}/actors/takuba" in public.get("/actors.csv").text


def test_a_base_that_is_not_an_http_url_is_refused() -> None:
    with pytest.raises(ValueError, match="public_base_url"):
        Settings(public_base_url="timeline.example.org")
