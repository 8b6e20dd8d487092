"""Conditional GETs: which If-None-Match and If-Modified-Since values earn a 304, and what
the validators look like."""

import re
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from tests.conftest import load_files, shipped_files, statements

# Paths no other test asks for with these headers, so each request reaches the validators.
PATH = "/events?type=coup"


@pytest.fixture(scope="module")
def current(client: TestClient) -> dict[str, str]:
    """The validators of `PATH` as a client first sees them."""
    return dict(client.get(PATH).headers)


def status(client: TestClient, **headers: str) -> int:
    """The status of a GET of `PATH` with `headers` (`if_none_match` is If-None-Match)."""
    return client.get(
        PATH, headers={k.replace("_", "-"): v for k, v in headers.items()}
    ).status_code


def test_the_etag_is_a_strong_quoted_hash(current: dict[str, str]) -> None:
    assert re.fullmatch(r'"[0-9a-f]{32}"', current["etag"])


def test_validators_name_the_time_in_gmt_and_what_the_response_varies_on(
    current: dict[str, str],
) -> None:
    assert re.fullmatch(
        r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT",
        current["last-modified"],
    )
    assert current["vary"].startswith("Accept, Accept-Language")
    assert current["cache-control"] == "public, max-age=60"


@pytest.mark.parametrize(
    "if_none_match",
    ["{etag}", "W/{etag}", '"other", {etag}', '{etag},"other"', "*", '"other", *'],
)
def test_any_matching_tag_or_star_is_a_304(
    client: TestClient, current: dict[str, str], if_none_match: str
) -> None:
    assert status(client, if_none_match=if_none_match.format(etag=current["etag"])) == 304


@pytest.mark.parametrize("if_none_match", ['"other"', '"other", W/"another"', ""])
def test_no_matching_tag_is_a_200(client: TestClient, if_none_match: str) -> None:
    assert status(client, if_none_match=if_none_match) == 200


def test_a_304_carries_the_validators(client: TestClient, current: dict[str, str]) -> None:
    response = client.get(PATH, headers={"If-None-Match": current["etag"]})
    assert response.status_code == 304
    for name in ("etag", "last-modified", "cache-control"):
        assert response.headers[name] == current[name]
    assert response.headers["vary"].startswith("Accept, Accept-Language")


def test_a_copy_as_new_as_the_data_or_newer_is_a_304(
    client: TestClient, current: dict[str, str]
) -> None:
    modified = parsedate_to_datetime(current["last-modified"])
    for moment in (modified, modified + timedelta(days=1)):
        assert status(client, if_modified_since=format_datetime(moment, usegmt=True)) == 304
    earlier = format_datetime(modified - timedelta(seconds=1), usegmt=True)
    assert status(client, if_modified_since=earlier) == 200


def test_a_date_without_a_zone_is_ignored(client: TestClient) -> None:
    # RFC 5322's "-0000" says the zone is unknown: Python parses it as a naive datetime.
    assert status(client, if_modified_since="Fri, 01 Jan 2100 00:00:00 -0000") == 200


def test_a_stream_that_does_not_match_is_sent_whole(client: TestClient) -> None:
    plain = client.get("/events.csv", params={"importance": 3})
    response = client.get(
        "/events.csv", params={"importance": 3}, headers={"If-None-Match": '"other"'}
    )
    assert response.status_code == 200
    assert response.content == plain.content


def test_an_empty_database_has_an_etag_and_no_last_modified(empty_url: str) -> None:
    with TestClient(create_app(Settings(database_url=empty_url))) as client:
        empty = client.get("/events")
        assert empty.status_code == 200
        assert "last-modified" not in empty.headers
        since = {"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"}
        assert client.get("/events", headers=since).status_code == 200
        load_files(empty_url, shipped_files())
        assert client.get("/events").headers["etag"] != empty.headers["etag"]


def test_a_repeated_get_is_answered_without_the_database(seeded_url: str) -> None:
    with TestClient(create_app(Settings(database_url=seeded_url))) as client:
        first = client.get("/events", params={"importance": 2})
        assert statements(client, "/events?importance=2") == []
        assert client.get("/events", params={"importance": 2}).content == first.content


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "America/Bogota"])
def test_last_modified_is_the_load_time_whatever_the_servers_time_zone(
    empty_url: str, monkeypatch: pytest.MonkeyPatch, zone: str
) -> None:
    """A server (and a database session) in a zone ahead of or behind UTC still names the
    load's instant: SQLite hands the time back without a zone, PostgreSQL in its own."""
    monkeypatch.setenv("TZ", zone)
    monkeypatch.setenv("PGTZ", zone)
    time.tzset()
    try:
        loaded_from = datetime.now(UTC).replace(microsecond=0)
        load_files(empty_url, shipped_files())
        loaded_by = datetime.now(UTC)
        with TestClient(create_app(Settings(database_url=empty_url))) as client:
            response = client.get("/events")
        assert response.status_code == 200
        modified = parsedate_to_datetime(response.headers["last-modified"])
        assert loaded_from <= modified <= loaded_by
    finally:
        monkeypatch.undo()
        time.tzset()
