"""Every error path answers RFC 9457 problem details, naming what was wrong."""

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app

ERROR_PATHS = [
    # (method, url, status, parameter at fault or None)
    ("GET", "/events?colour=red", 400, "colour"),
    ("GET", "/events?from=2021-13", 400, "from"),
    ("GET", "/events?from=2021-02-30", 400, "from"),
    ("GET", "/events?to=0000", 400, "to"),
    ("GET", "/events?to=99999", 400, "to"),
    ("GET", "/events?from=2022&to=2021", 400, "to"),
    ("GET", "/events?limit=0", 400, "limit"),
    ("GET", "/events?cursor=not-a-cursor", 400, "cursor"),
    ("GET", "/events?cursor=WyJkYXRlIl0", 400, "cursor"),  # valid base64 JSON, wrong shape
    ("GET", "/events?sort=title", 400, "sort"),
    ("GET", "/events?importance=4", 400, "importance"),
    ("GET", "/events?country=France", 400, "country"),
    ("GET", "/events?lang=xx", 400, "lang"),
    ("GET", "/events/mali-coup-2021?limit=5", 400, "limit"),
    ("GET", "/actors?kind=alien", 400, "kind"),
    ("GET", "/actors?cursor=not-a-cursor", 400, "cursor"),
    ("GET", "/actors?cursor=WyJkYXRlIiwiMjAyMS0wMS0wMSIsImEiXQ", 400, "cursor"),  # an event cursor
    ("GET", "/actors?from=2020", 400, "from"),
    ("GET", "/actors/takuba/events?tpye=coup", 400, "tpye"),
    ("GET", "/event-types?q=x", 400, "q"),
    ("GET", "/health?verbose=1", 400, "verbose"),
    ("GET", "/?x=1", 400, "x"),
    ("GET", "/events/nothing-here", 404, None),
    ("GET", "/actors/nobody", 404, None),
    ("GET", "/actors/nobody/events", 404, None),
    ("GET", "/no/such/path", 404, None),
    ("POST", "/events", 405, None),
    ("DELETE", "/events/mali-coup-2021", 405, None),
    ("PUT", "/actors/takuba", 405, None),
]


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert body["title"]
    assert body["detail"]
    assert "Traceback" not in response.text
    return body


@pytest.mark.parametrize(("method", "url", "status", "param"), ERROR_PATHS)
def test_error_shape(
    client: TestClient, method: str, url: str, status: int, param: str | None
) -> None:
    body = assert_problem(client.request(method, url), status)
    assert body["instance"] == url.split("?")[0]
    if param is not None:
        assert [e["name"] for e in body["errors"]] == [param]
        assert param in body["detail"]


def test_method_not_allowed_says_what_is(client: TestClient) -> None:
    response = client.post("/events")
    assert "GET" in response.headers["allow"]


def test_unexpected_error_hides_the_trace(seeded_url: str) -> None:
    app = create_app(Settings(database_url=seeded_url))

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    with TestClient(app, raise_server_exceptions=False) as client:
        body = assert_problem(client.get("/boom"), 500)
    assert "secret" not in str(body)


def test_unreachable_database_is_503(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'missing-dir' / 'db.sqlite3'}"
    with TestClient(create_app(Settings(database_url=url))) as client:
        assert_problem(client.get("/health"), 503)
        response = client.get("/events")
        assert_problem(response, 503)
        assert response.headers["retry-after"]
