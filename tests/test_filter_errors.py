"""Filter mistakes an integrator makes: each a 400 naming the value, in words, with the
nearest valid value, instead of an empty page or a regex."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

EVENT_LISTS = [
    "/events",
    "/events.csv",
    "/events.geojson",
    "/timeline",
    "/actors/takuba/events",
]


def problem(client: TestClient, url: str, **params: Any) -> list[dict[str, str]]:
    response = client.get(url, params=params)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["detail"] == "; ".join(
        f"query parameter {e['name']!r}: {e['message']}" for e in body["errors"]
    )
    errors: list[dict[str, str]] = body["errors"]
    return errors


def only_message(client: TestClient, url: str, name: str, **params: Any) -> str:
    errors = problem(client, url, **params)
    assert [e["name"] for e in errors] == [name]
    return errors[0]["message"]


@pytest.mark.parametrize("url", EVENT_LISTS)
def test_unknown_actor_is_400_with_the_nearest_id(client: TestClient, url: str) -> None:
    message = only_message(client, url, "actor", actor="takubaa")
    assert message == "no actor has the id 'takubaa'; did you mean `takuba`?"


def test_part_of_an_actor_id_suggests_the_whole(client: TestClient) -> None:
    message = only_message(client, "/events", "actor", actor="macron")
    assert message.endswith("did you mean `emmanuel-macron`?")


@pytest.mark.parametrize("url", EVENT_LISTS)
def test_unknown_tag_is_400_naming_it(client: TestClient, url: str) -> None:
    assert (
        only_message(client, url, "tag", tag="nonexistent") == "no event has the tag 'nonexistent'"
    )
    assert only_message(client, url, "tag", tag="coupp").endswith("did you mean `coup`?")


def test_country_without_events_lists_the_countries_there_are(client: TestClient) -> None:
    message = only_message(client, "/events", "country", country="DE")
    assert message.startswith("no event is in country 'DE'; the data has ")
    assert "ML" in message.split("the data has ")[1].split(", ")


def test_actor_country_is_checked_against_actors(client: TestClient) -> None:
    assert client.get("/actors", params={"country": "DE"}).status_code == 200  # Germany
    for url in ("/actors", "/actors.csv"):
        message = only_message(client, url, "country", country="ZZ")
        assert message.startswith("no actor has country 'ZZ'")


def test_every_unknown_value_is_named_at_once(client: TestClient) -> None:
    errors = problem(client, "/events", actor=["takuba", "nobody"], tag="nothing", country="ZZ")
    assert [(e["name"], e["message"].split(";")[0]) for e in errors] == [
        ("actor", "no actor has the id 'nobody'"),
        ("tag", "no event has the tag 'nothing'"),
        ("country", "no event is in country 'ZZ'"),
    ]


def test_known_values_still_filter(client: TestClient) -> None:
    response = client.get("/events", params={"actor": "takuba", "country": "ML", "tag": "coup"})
    assert response.status_code == 200


def test_unknown_type_suggests_the_nearest(client: TestClient) -> None:
    message = only_message(client, "/events", "type", type="coupe")
    assert message == "'coupe' is not a known type; did you mean `coup`?"


@pytest.mark.parametrize(
    ("name", "value", "hint"),
    [
        ("type", "coup,withdrawal", "type=coup&type=withdrawal"),
        ("actor", "takuba,barkhane", "actor=takuba&actor=barkhane"),
        ("country", "ML,NE", "country=ML&country=NE"),
        ("tag", "coup,junta", "tag=coup&tag=junta"),
    ],
)
def test_comma_list_is_refused_with_how_to_repeat(
    client: TestClient, name: str, value: str, hint: str
) -> None:
    message = only_message(client, "/events", name, **{name: value})
    assert (
        message == f"{value!r}: give one value per `{name}` and repeat the parameter, as in {hint}"
    )


def test_repeated_filter_is_the_way_to_ask_for_several(client: TestClient) -> None:
    one = client.get("/events", params={"type": "coup", "limit": 500}).json()["total"]
    both = client.get("/events", params={"type": ["coup", "withdrawal"], "limit": 500}).json()
    assert both["total"] > one > 0


@pytest.mark.parametrize(
    ("url", "value", "expected"),
    [
        ("/events", "ml", "'ml' is not an ISO 3166-1 alpha-2 code such as ML; did you mean `ML`?"),
        ("/actors", "fr", "'fr' is not an ISO 3166-1 alpha-2 code such as ML; did you mean `FR`?"),
        ("/events", "Atlantis", "'Atlantis' is not an ISO 3166-1 alpha-2 code such as ML"),
    ],
)
def test_country_format_is_explained_in_words(
    client: TestClient, url: str, value: str, expected: str
) -> None:
    assert only_message(client, url, "country", country=value) == expected


@pytest.mark.parametrize(
    ("url", "value", "code"),
    [
        ("/events", "Mali", "ML"),
        ("/events", "mali", "ML"),
        ("/events", "Frankrijk", "FR"),
        ("/actors", "Pays-Bas", "NL"),
        ("/actors", "pays bas", "NL"),
        ("/events", "Sénégal", "SN"),
        ("/events", "Tsjaad", "TD"),
        ("/events", "Côte d'Ivoire", "CI"),
        ("/events", "Burkina", "BF"),
        ("/events", "Mauretanie", "MR"),
    ],
)
def test_a_country_name_in_any_language_suggests_its_code(
    client: TestClient, url: str, value: str, code: str
) -> None:
    expected = f"{value!r} is not an ISO 3166-1 alpha-2 code such as ML; did you mean `{code}`?"
    assert only_message(client, url, "country", country=value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("21", "'21' is not a date: YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2021-05"),
        ("2021-13", "'2021-13': month 13 is not between 01 and 12"),
    ],
)
def test_date_format_is_explained_once(client: TestClient, value: str, expected: str) -> None:
    assert only_message(client, "/events", "from", **{"from": value}) == expected


def test_no_message_shows_a_regex(client: TestClient) -> None:
    for params in ({"tag": "Bad Tag"}, {"actor": "Task_Force"}, {"country": "mali"}):
        message = problem(client, "/events", **params)[0]["message"]
        assert "^" not in message
        assert "pattern" not in message


@pytest.mark.parametrize("name", ["page", "offset"])
def test_page_and_offset_point_to_the_cursor(client: TestClient, name: str) -> None:
    message = only_message(client, "/events", name, **{name: "2"})
    assert message.startswith("unknown parameter; ")
    assert "`next`" in message
    assert "`cursor`" in message
