"""How Accept and Accept-Language are read: weights, wildcards, case and malformed parts."""

import pytest
from fastapi.testclient import TestClient

JSON, GEOJSON, CSV = "application/json", "application/geo+json", "text/csv; charset=utf-8"


def served(client: TestClient, accept: str) -> str:
    """The media type `/events?importance=3` is sent in for `accept`."""
    response = client.get("/events", params={"importance": 3}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    return response.headers["content-type"]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("TEXT/CSV", CSV),
        ("text/csv ; Q = 0.5 , application/geo+json;q=0.4", CSV),
        ("text/csv;q=0.4, application/geo+json;level=1;q=0.5", GEOJSON),
        ("text/csv;q=0, */*", JSON),
        ("text/csv;q=0, text/*, application/json;q=0.1", JSON),
        ("application/*;q=0.1, text/*;q=0.2", CSV),
        ("*/*;q=0.1, text/*;q=0.9", CSV),
        ("text/csv, application/geo+json", GEOJSON),
        ("text/csv;q=5, application/geo+json", GEOJSON),
        ("csv, text/csv;q=0.5", CSV),
        ("text/csv;q=abc, application/geo+json;q=0.1", GEOJSON),
        ("application/geo+json;q=1, text/csv", GEOJSON),
        ("text/*;q=0.1, text/csv, application/json;q=0.5", CSV),
        ("text/csv;q=0.2, text/csv;q=0.9, application/json;q=0.5", JSON),
        ("   ", JSON),
    ],
)
def test_the_best_weighted_most_specific_range_wins_ties_go_to_json_first(
    client: TestClient, accept: str, expected: str
) -> None:
    assert served(client, accept) == expected


@pytest.mark.parametrize(
    "accept", ["text/csv;q=abc", "text/csv;q==1", "text/csv;q=-1", "csv", "*/*;q=0"]
)
def test_nothing_acceptable_is_a_406_listing_every_type_on_offer(
    client: TestClient, accept: str
) -> None:
    response = client.get("/events", params={"importance": 3}, headers={"Accept": accept})
    assert response.status_code == 406
    assert response.json()["detail"] == (
        f"cannot send any type in Accept: {accept!r}; "
        "supported: application/json, application/geo+json, text/csv"
    )


def test_no_accept_header_gets_the_first_type_on_offer(client: TestClient) -> None:
    request = client.build_request("GET", "/events", params={"importance": 3})
    del request.headers["accept"]
    assert client.send(request).headers["content-type"] == JSON


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("fr;q=0.5, nl;q=0.8", "nl"),
        ("fr, nl", "fr"),
        ("nl;q=0.5, fr;q=0.5", "nl"),
        ("NL-be", "nl"),
        (" fr-CA ; q=0.7 , nl;q=0.6", "fr"),
        ("fr;q=0", "en"),
        ("nl;q=abc, fr;q=0.2", "fr"),
        ("de;q=1, nl;q=0.1", "nl"),
        ("nl;q=1, fr", "nl"),
    ],
)
def test_the_most_wanted_language_wins_ties_go_to_the_first_named(
    client: TestClient, accept_language: str, expected: str
) -> None:
    response = client.get("/event-types", headers={"Accept-Language": accept_language})
    assert response.headers["content-language"] == expected


def test_openapi_gives_each_export_its_schema(client: TestClient) -> None:
    content = client.get("/openapi.json").json()["paths"]["/events"]["get"]["responses"]["200"][
        "content"
    ]
    assert content["text/csv"]["schema"]["type"] == "string"
    geojson = {"$ref": "#/components/schemas/FeatureCollection"}
    assert content["application/geo+json"]["schema"] == geojson
    assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/EventPage"}
