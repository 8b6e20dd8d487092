"""Content negotiation: one mechanism for every route, 406 when nothing fits."""

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("", "application/json"),
        ("*/*", "application/json"),
        ("application/json", "application/json"),
        ("text/csv", "text/csv; charset=utf-8"),
        ("text/*", "text/csv; charset=utf-8"),
        ("application/geo+json", "application/geo+json"),
        ("text/csv;q=0.5, application/geo+json;q=0.9", "application/geo+json"),
        ("application/*;q=0.2, text/csv", "text/csv; charset=utf-8"),
        ("image/png, */*;q=0.1", "application/json"),
    ],
)
def test_events_accept(client: TestClient, accept: str, expected: str) -> None:
    response = client.get("/events", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"] == expected


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/events", "image/png"),
        ("/events", "application/json;q=0"),
        ("/events/mali-coup-2021", "text/csv"),
        ("/actors", "application/geo+json"),
        ("/timeline", "text/html"),
    ],
)
def test_unsupported_accept_is_406_listing_what_is_supported(
    client: TestClient, path: str, accept: str
) -> None:
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 406
    assert response.headers["content-type"] == "application/problem+json"
    assert "supported: application/json" in response.json()["detail"]


def test_browsers_get_the_page_and_api_clients_the_index(client: TestClient) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = client.get("/", headers={"Accept": browser})
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "<title>" in page.text
    assert client.get("/", headers={"Accept": "application/json"}).json()["name"]
    assert client.get("/").json()["name"]


def test_browsers_asking_for_events_get_json(client: TestClient) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/events", headers={"Accept": browser})
    assert response.headers["content-type"] == "application/json"


def test_openapi_documents_every_representation(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]

    def types(path: str) -> set[str]:
        return set(paths[path]["get"]["responses"]["200"]["content"])

    assert types("/events") == {"application/json", "application/geo+json", "text/csv"}
    assert types("/events/{event_id}") == {"application/json", "application/ld+json"}
    assert types("/actors") == {"application/json", "text/csv"}
    assert types("/") == {"application/json", "text/html"}
    assert types("/events.csv") == {"text/csv"}
    assert "304" in paths["/events"]["get"]["responses"]
    assert "406" in paths["/events"]["get"]["responses"]
