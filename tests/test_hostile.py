"""Hostile input: every request gets the right data or a clear problem, never a 500."""

import pytest
from fastapi.testclient import TestClient

from tests.test_errors import assert_problem

NOTHING = "zzqnothingmatches"  # a plain word no record holds
FIRST_500 = {"limit": "500"}  # every match on one page, so `next` holds no query
EXPORTS: tuple[tuple[str, dict[str, str]], ...] = (("/events.csv", {}), ("/timeline", {}))


@pytest.mark.parametrize(
    ("q", "plain"),
    [
        ("'", NOTHING),
        ('"', NOTHING),
        ("*", NOTHING),
        ("--", NOTHING),
        (";", NOTHING),
        ("%", NOTHING),
        ("_", NOTHING),
        ("\\", NOTHING),
        ("NEAR", "near"),
        ("' OR 1=1 --", "or 1 1"),
        ('"a" NEAR/2 "b"', "a near 2 b"),
        ("operat*", "operat"),
    ],
)
def test_sql_and_fts_syntax_in_q_is_just_text(client: TestClient, q: str, plain: str) -> None:
    """Syntax of SQL or of the full-text engine finds what its words alone find."""
    for path, whole in (("/events", FIRST_500), ("/actors", FIRST_500), *EXPORTS):
        hostile = client.get(path, params={"q": q, **whole})
        assert hostile.status_code == 200, (path, q)
        assert hostile.content == client.get(path, params={"q": plain, **whole}).content, path


def test_a_star_after_a_word_still_finds_records(client: TestClient) -> None:
    assert client.get("/events", params={"q": "operat*"}).json()["total"] > 0


@pytest.mark.parametrize(
    ("url", "status", "name"),
    [
        ("/events?q=" + "x" * 201, 400, "q"),
        ("/events/" + "a" * 101, 400, "event_id"),
        ("/actors/%2E%2E", 400, "actor_id"),
        ("/events?limit=1&limit=2", 400, "limit"),
        ("/events?from=2020&from=2021", 400, "from"),
        ("/events?lang=en&lang=nl", 400, "lang"),
        ("/events?limit=99999999999999999999999", 400, "limit"),
        ("/events?limit=-5", 400, "limit"),
        ("/events?importance=0", 400, "importance"),
        ("/events?tag=Not%20A%20Tag", 400, "tag"),
    ],
)
def test_bad_parameters_are_named(client: TestClient, url: str, status: int, name: str) -> None:
    body = assert_problem(client.get(url), status)
    assert [e["name"] for e in body["errors"]] == [name]


@pytest.mark.parametrize(
    "url",
    [
        "/events?q=%00",
        "/events?q=abc%00def",
        "/events?q=%FF",
        "/events?q=%C3%28",
        "/events?q=%E2%82",
        "/events/abc%00",
        "/events/%FF",
        "/events?q=%0A",
    ],
)
def test_nul_control_and_invalid_utf8_are_400(client: TestClient, url: str) -> None:
    body = assert_problem(client.get(url), 400)
    assert "UTF-8" in body["detail"]
    assert body["instance"] is None  # the bad URL is not echoed back


def test_traversal_in_ids_finds_nothing(client: TestClient) -> None:
    response = client.get("/events/..%2F..%2Fetc%2Fpasswd")
    assert_problem(response, 404)
    assert "root:" not in response.text


def test_valid_utf8_passes(client: TestClient) -> None:
    assert client.get("/events?q=%C3%A9tat").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/static/page/..%2F..%2Fconfig.py",
        "/static/page/%2E%2E/%2E%2E/config.py",
        "/static/docs/assets/..%2F..%2F..%2F__init__.py",
    ],
)
def test_no_path_traversal_in_static_files(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "get_settings" not in response.text


def test_oversized_url_and_headers(client: TestClient) -> None:
    assert_problem(client.get("/events?q=" + "a" * 5000), 414)
    assert_problem(client.get("/events", headers={"X-Padding": "a" * 9000}), 431)


def test_request_bodies_are_refused(client: TestClient) -> None:
    assert_problem(client.request("GET", "/events", content=b"x" * 10), 413)


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("path", ["/events", "/events/mali-coup-2021", "/actors", "/"])
def test_writes_are_405_with_allow(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, path)
    assert_problem(response, 405)
    assert response.headers["allow"] == "GET, HEAD, OPTIONS"


def test_head_is_get_without_the_body(client: TestClient) -> None:
    get = client.get("/events/mali-coup-2021")
    head = client.head("/events/mali-coup-2021")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["etag"] == get.headers["etag"]
    assert head.headers["content-length"] == get.headers["content-length"]
    assert client.head("/events.csv").status_code == 200


def test_options_lists_the_methods(client: TestClient) -> None:
    response = client.options("/events")
    assert response.status_code == 204
    assert response.headers["allow"] == "GET, HEAD, OPTIONS"
