"""A parameter that takes one value, given twice, is a 400 naming it; filters repeat."""

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/events?limit=1&limit=2", "limit"),
        ("/events?type=coup&sort=date&sort=-date", "sort"),
        ("/actors?q=mali&q=france", "q"),
        ("/events/mali-coup-2021?lang=en&lang=fr", "lang"),
        ("/docs?lang=en&lang=fr", "lang"),  # a route whose parameters FastAPI solves
    ],
)
def test_a_single_valued_parameter_given_twice_is_named(
    client: TestClient, url: str, name: str
) -> None:
    response = client.get(url)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["name"] == name
    assert error["message"] == "given more than once; only filters repeat"


def test_every_filter_repeats(client: TestClient) -> None:
    url = "/events?type=coup&type=withdrawal&country=ML&country=NE&importance=2&importance=3"
    assert client.get(url).status_code == 200
    assert client.get("/actors?kind=state&kind=person&country=FR&country=ML").status_code == 200
