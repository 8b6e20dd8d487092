"""`/`, `/health`, `/event-types` and CORS."""

from fastapi.testclient import TestClient

from app import __version__
from app.config import Settings
from app.main import create_app


def test_index_links_to_everything(client: TestClient) -> None:
    body = client.get("/").json()
    assert body["name"] == "Sahel Timeline API"
    assert body["version"] == __version__
    for link in body["links"].values():
        assert client.get(link).status_code == 200, link


def test_health_counts_events(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["events"] == client.get("/events").json()["total"]


def test_event_types_with_labels_and_counts(client: TestClient) -> None:
    types = {t["id"]: t for t in client.get("/event-types", params={"lang": "nl"}).json()}
    assert types["coup"] == {"id": "coup", "label": "Staatsgreep", "count": 5}
    total = sum(t["count"] for t in types.values())
    assert total == client.get("/events").json()["total"]


def test_cors_allows_any_origin_by_default(client: TestClient) -> None:
    response = client.get("/events", headers={"Origin": "https://news.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "Link" in response.headers["access-control-expose-headers"]


def test_cors_preflight_allows_get_only(client: TestClient) -> None:
    response = client.options(
        "/events",
        headers={"Origin": "https://news.example", "Access-Control-Request-Method": "GET"},
    )
    assert response.status_code == 200
    allowed = response.headers["access-control-allow-methods"]
    assert "GET" in allowed
    assert "POST" not in allowed
    assert "DELETE" not in allowed


def test_cors_origins_are_configurable(seeded_url: str) -> None:
    settings = Settings(database_url=seeded_url, cors_origins="https://maps.example")
    with TestClient(create_app(settings)) as client:
        allowed = client.get("/events", headers={"Origin": "https://maps.example"})
        assert allowed.headers["access-control-allow-origin"] == "https://maps.example"
        refused = client.get("/events", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in refused.headers
