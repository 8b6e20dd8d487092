"""EDTF level 1 dates through the HTTP surface: JSON, filters, order, paging, every format."""

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app import migrate
from app.config import Settings
from app.main import create_app
from tests.conftest import load_files, run_cli
from tests.databases import fresh_database
from tests.factories import make_actor, make_event, make_source, write_data

LOCATION = {"place": "Bamako", "country": "ML", "latitude": 12.65, "longitude": -8.0}
# id -> (start, end): one event per EDTF feature, and a plain day beside them.
DATES: dict[str, tuple[str, str | None]] = {
    "coup": ("2021-05-24?", None),
    "plain": ("2021-05-25", None),
    "arrival": ("2013-01~", None),
    "both": ("2021%", None),
    "decade": ("201X", None),
    "some-day": ("2021-05-XX", None),
    "spring": ("2013-21", None),
    "winter": ("2013-24", None),
    "ongoing": ("2022-01", ".."),
    "unknown-end": ("2020-06-XX", ""),
    "span": ("2020-08-18?", "2021-05~"),
}


@pytest.fixture(scope="module")
def edtf_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A client over a database holding one event for each EDTF feature."""
    directory = tmp_path_factory.mktemp("edtf")
    events = [
        make_event(
            id=event_id, start=start, location=LOCATION, **({"end": end} if end is not None else {})
        )
        for event_id, (start, end) in DATES.items()
    ]
    data = write_data(
        directory / "data.json", sources=[make_source()], actors=[make_actor()], events=events
    )
    with fresh_database(directory) as url:
        migrate.upgrade(url)
        load_files(url, [data])
        with TestClient(create_app(Settings(database_url=url))) as client:
            yield client


def ids(client: TestClient, **params: Any) -> list[str]:
    response = client.get("/events", params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def test_json_carries_the_string_bounds_and_flags(edtf_client: TestClient) -> None:
    event = edtf_client.get("/events/span").json()
    assert {k: event[k] for k in ("start", "end", "earliest", "latest")} == {
        "start": "2020-08-18?",
        "end": "2021-05~",
        "earliest": "2020-08-18",
        "latest": "2021-05-31",
    }
    assert (event["uncertain"], event["approximate"], event["precision"]) == (True, True, "day")


@pytest.mark.parametrize(
    ("event_id", "earliest", "latest", "precision", "uncertain", "approximate"),
    [
        ("coup", "2021-05-24", "2021-05-24", "day", True, False),
        ("arrival", "2013-01-01", "2013-01-31", "month", False, True),
        ("both", "2021-01-01", "2021-12-31", "year", True, True),
        ("decade", "2010-01-01", "2019-12-31", "year", False, False),
        ("some-day", "2021-05-01", "2021-05-31", "month", False, False),
        ("spring", "2013-03-01", "2013-05-31", "year", False, False),
        ("winter", "2013-12-01", "2014-02-28", "year", False, False),
        ("ongoing", "2022-01-01", "9999-12-31", "month", False, False),
        ("unknown-end", "2020-06-01", "9999-12-31", "month", False, False),
    ],
)
def test_each_feature_has_its_bounds_and_flags(
    edtf_client: TestClient,
    event_id: str,
    earliest: str,
    latest: str,
    precision: str,
    uncertain: bool,
    approximate: bool,
) -> None:
    [item] = [i for i in edtf_client.get("/events").json()["items"] if i["id"] == event_id]
    assert (item["earliest"], item["latest"], item["precision"]) == (earliest, latest, precision)
    assert (item["uncertain"], item["approximate"]) == (uncertain, approximate)


def test_overlaps_matches_every_event_that_may_fall_in_the_period(edtf_client: TestClient) -> None:
    found = ids(edtf_client, **{"from": "2021-05-24", "to": "2021-05-24"})
    assert sorted(found) == ["both", "coup", "some-day", "span", "unknown-end"]
    assert ids(edtf_client, **{"from": "2021-05-24", "date_match": "overlaps"}) == ids(
        edtf_client, **{"from": "2021-05-24"}
    )


def test_within_keeps_only_events_certainly_inside(edtf_client: TestClient) -> None:
    may = {"from": "2021-05", "to": "2021-05"}
    assert sorted(ids(edtf_client, **may, date_match="within")) == ["coup", "plain", "some-day"]
    assert ids(edtf_client, to="2013", date_match="within") == ["arrival", "spring"]


def test_open_end_is_within_an_open_period(edtf_client: TestClient) -> None:
    assert "ongoing" in ids(edtf_client, **{"from": "2022", "date_match": "within"})
    assert "ongoing" not in ids(
        edtf_client, **{"from": "2022", "to": "2030", "date_match": "within"}
    )


def test_unknown_date_match_is_a_400_naming_it(edtf_client: TestClient) -> None:
    response = edtf_client.get("/events", params={"date_match": "inside"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "date_match" in response.text


def test_order_is_earliest_bound_then_id(edtf_client: TestClient) -> None:
    items = edtf_client.get("/events", params={"limit": 500}).json()["items"]
    keys = [(item["earliest"], item["id"]) for item in items]
    assert keys == sorted(keys)
    newest = edtf_client.get("/events", params={"limit": 500, "sort": "-date"}).json()["items"]
    assert [(i["earliest"], i["id"]) for i in newest] == sorted(keys, reverse=True)


@pytest.mark.parametrize(
    "params", [{}, {"sort": "-date"}, {"from": "2021", "date_match": "within"}]
)
def test_pages_follow_the_order_without_gaps(
    edtf_client: TestClient, params: dict[str, str]
) -> None:
    everything = ids(edtf_client, **params)
    seen: list[str] = []
    url: str | None = "/events"
    query: dict[str, Any] | None = {"limit": 2, **params}
    while url is not None:
        page = edtf_client.get(url, params=query).json()
        seen += [item["id"] for item in page["items"]]
        url, query = page["next"], None
    assert seen == everything


def test_csv_and_geojson_carry_the_string_bounds_and_flags(edtf_client: TestClient) -> None:
    rows = list(csv.DictReader(io.StringIO(edtf_client.get("/events.csv").text)))
    [coup] = [row for row in rows if row["id"] == "coup"]
    assert (coup["start"], coup["earliest"], coup["latest"]) == (
        "2021-05-24?",
        "2021-05-24",
        "2021-05-24",
    )
    assert (coup["uncertain"], coup["approximate"]) == ("true", "false")
    features = edtf_client.get("/events.geojson").json()["features"]
    [arrival] = [f["properties"] for f in features if f["id"] == "arrival"]
    assert (arrival["start"], arrival["earliest"], arrival["latest"]) == (
        "2013-01~",
        "2013-01-01",
        "2013-01-31",
    )
    assert arrival["approximate"] is True


@pytest.mark.parametrize(
    ("event_id", "start", "end"),
    [
        ("plain", "2021-05-25", None),
        ("coup", "2021-05-24", None),
        ("arrival", "2013-01-01", "2013-01-31"),
        ("span", "2020-08-18", "2021-05-31"),
        ("ongoing", "2022-01", None),
    ],
)
def test_jsonld_uses_iso_dates_and_bounds_otherwise(
    edtf_client: TestClient, event_id: str, start: str, end: str | None
) -> None:
    document = edtf_client.get(
        f"/events/{event_id}", headers={"Accept": "application/ld+json"}
    ).json()
    assert (document["startDate"], document.get("endDate")) == (start, end)


@pytest.mark.parametrize(
    ("lang", "labels"),
    [
        ("en", {"arrival": "c. January 2013", "coup": "24 May 2021?", "decade": "2010s"}),
        (
            "fr",
            {"arrival": "vers janvier 2013", "coup": "24 mai 2021?", "spring": "printemps 2013"},
        ),
        ("nl", {"arrival": "rond januari 2013", "both": "rond 2021?", "ongoing": "januari 2022 –"}),
    ],
)
def test_timeline_labels_dates_in_the_language(
    edtf_client: TestClient, lang: str, labels: dict[str, str]
) -> None:
    slides = edtf_client.get("/timeline", params={"lang": lang}).json()["events"]
    shown = {slide["unique_id"]: slide.get("display_date") for slide in slides}
    assert {key: shown[key] for key in labels} == labels
    assert shown["plain"] is None


def test_timeline_parts_are_only_as_precise_as_known(edtf_client: TestClient) -> None:
    slides = {s["unique_id"]: s for s in edtf_client.get("/timeline").json()["events"]}
    assert slides["coup"]["start_date"] == {"year": 2021, "month": 5, "day": 24}
    assert slides["some-day"]["start_date"] == {"year": 2021, "month": 5}
    assert slides["decade"]["start_date"] == {"year": 2010}
    assert slides["spring"]["start_date"] == {"year": 2013}
    assert "end_date" not in slides["ongoing"]
    assert slides["span"]["display_date"] == "18 August 2020? – c. May 2021"


@pytest.mark.parametrize(
    ("start", "message"),
    [
        ("2021-13~", "2021-13~: month 13 does not exist"),
        ("2021-02-29?", "2021-02-29?: day 29 does not exist in 2021-02"),
        ("2013-21?", "a season (21) takes a plain year"),
        ("2021-XX-05", "a day is given in an unknown month"),
        ("Y170000002", "is not an EDTF level 1 date"),
    ],
)
def test_load_names_the_field_and_what_is_wrong(
    empty_url: str, tmp_path: Path, start: str, message: str
) -> None:
    data = write_data(
        tmp_path / "bad.json",
        sources=[make_source()],
        actors=[make_actor()],
        events=[make_event(start=start)],
    )
    result = run_cli("load", str(data), database_url=empty_url)
    assert result.returncode != 0
    assert "start" in result.stderr
    assert message in result.stderr


def test_load_refuses_an_end_before_the_start(empty_url: str, tmp_path: Path) -> None:
    data = write_data(
        tmp_path / "bad.json",
        sources=[make_source()],
        actors=[make_actor()],
        events=[make_event(start="2021-05~", end="2020-XX")],
    )
    result = run_cli("load", str(data), database_url=empty_url)
    assert result.returncode != 0
    assert "end 2020-XX is before start 2021-05~" in result.stderr


@pytest.mark.parametrize("event_id", ["mali-coup-2021", "mali-coup-2020", "konna-retaken"])
def test_shipped_dates_that_sources_dispute_are_uncertain(
    client: TestClient, event_id: str
) -> None:
    event = client.get(f"/events/{event_id}").json()
    assert event["uncertain"] is True
    assert event["start"].endswith("?")
