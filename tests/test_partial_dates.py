"""Partial dates in filters: an invalid one is named with why; a valid one means a period."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app import migrate
from app.config import Settings
from app.main import create_app
from tests.conftest import load_files
from tests.databases import fresh_database
from tests.factories import make_actor, make_event, make_source, write_data

# Events on the edges of years and months, where a period's first or last day decides.
EDGES = {"new-year": "1999-01-01", "first-of-march": "1999-03-01", "new-years-eve": "1999-12-31"}


@pytest.fixture(scope="module")
def edges(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A client over the `EDGES` events alone."""
    directory = tmp_path_factory.mktemp("edges")
    events = [make_event(id=event_id, start=start) for event_id, start in EDGES.items()]
    path = write_data(
        directory / "edges.json", sources=[make_source()], actors=[make_actor()], events=events
    )
    with fresh_database(directory) as url:
        migrate.upgrade(url)
        load_files(url, [path])
        with TestClient(create_app(Settings(database_url=url, response_cache_mb=0))) as client:
            yield client


def found(client: TestClient, **params: str) -> list[str]:
    response = client.get("/events", params=params)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


@pytest.mark.parametrize(
    ("name", "value", "why"),
    [
        ("from", "1999-13", "'1999-13': month 13 is not between 01 and 12"),
        ("to", "1999-00", "'1999-00': month 0 is not between 01 and 12"),
        ("from", "1999-02-29", "'1999-02-29': day 29 does not exist in 1999-02"),
        ("to", "1999-04-00", "'1999-04-00': day 0 does not exist in 1999-04"),
        ("from", "0000", "'0000': year 0000 does not exist"),
        ("to", "99", "'99' is not a date: YYYY, YYYY-MM or YYYY-MM-DD"),
    ],
)
def test_an_impossible_date_is_a_400_saying_why(
    edges: TestClient, name: str, value: str, why: str
) -> None:
    response = edges.get("/events", params={name: value})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["name"] == name
    assert why in error["message"]


def test_year_one_and_leap_days_are_dates(edges: TestClient) -> None:
    assert found(edges, to="0001") == []
    assert found(edges, to="0001-01-01") == []
    assert found(edges, **{"from": "1996-02-29", "to": "1998-12"}) == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"from": "1999"}, ["new-year", "first-of-march", "new-years-eve"]),
        ({"to": "1999"}, ["new-year", "first-of-march", "new-years-eve"]),
        ({"from": "1999-03"}, ["first-of-march", "new-years-eve"]),
        ({"to": "1999-03"}, ["new-year", "first-of-march"]),
        ({"from": "1999-03-01", "to": "1999-03-01"}, ["first-of-march"]),
        ({"from": "1999-12", "to": "1999-12-31"}, ["new-years-eve"]),
        ({"from": "1999-01", "to": "1999-01"}, ["new-year"]),
    ],
)
def test_a_period_includes_its_first_and_last_day(
    edges: TestClient, params: dict[str, str], expected: list[str]
) -> None:
    assert found(edges, **params) == expected


def test_dates_known_to_the_day_need_no_label_on_the_timeline(edges: TestClient) -> None:
    slides = edges.get("/timeline").json()["events"]
    assert [slide["unique_id"] for slide in slides] == list(EDGES)
    assert all("display_date" not in slide for slide in slides)


def test_dates_known_to_the_year_or_month_are_labelled_as_such(client: TestClient) -> None:
    slides = {
        s["unique_id"]: s for s in client.get("/timeline", params={"lang": "en"}).json()["events"]
    }
    assert slides["french-military-deaths-2013-2021"]["display_date"] == "2013 – June 2021"
    assert slides["takuba-full-capability"]["display_date"] == "April 2021"
