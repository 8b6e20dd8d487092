"""Language negotiation: `?lang=`, then `Accept-Language`, then English."""

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize(
    ("params", "headers", "served", "title"),
    [
        ({}, {}, "en", "Second coup in Mali"),
        ({"lang": "nl"}, {}, "nl", "Tweede staatsgreep in Mali"),
        ({}, {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}, "fr", "Second coup d'État au Mali"),
        ({}, {"Accept-Language": "de, nl;q=0.4, en;q=0.3"}, "nl", "Tweede staatsgreep in Mali"),
        ({}, {"Accept-Language": "de, es"}, "en", "Second coup in Mali"),
        ({"lang": "en"}, {"Accept-Language": "nl"}, "en", "Second coup in Mali"),
        ({}, {"Accept-Language": "nl;q=0, fr;q=bad, *"}, "en", "Second coup in Mali"),
    ],
)
def test_negotiation(
    client: TestClient, params: dict[str, str], headers: dict[str, str], served: str, title: str
) -> None:
    response = client.get("/events/mali-coup-2021", params=params, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-language"] == served
    assert "Accept-Language" in response.headers["vary"]
    assert response.json()["title"] == title


def test_names_in_lists_follow_the_language(client: TestClient) -> None:
    items = client.get("/actors", params={"lang": "nl", "kind": "multinational_force"}).json()
    names = {item["id"]: item["name"] for item in items["items"]}
    assert names["takuba"] == "Taskforce Takuba"
    event = client.get("/events", params={"lang": "fr", "type": "coup", "limit": 1}).json()
    assert event["items"][0]["actors"][0]["name"] == "Forces armées maliennes"


def test_unsupported_lang_parameter_is_rejected(client: TestClient) -> None:
    response = client.get("/events", params={"lang": "de"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["name"] == "lang"
