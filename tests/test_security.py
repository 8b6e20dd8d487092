"""Security headers, a read-only database connection, bounded queries and quiet logs."""

import json
import logging
import time

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pythonjsonlogger.core import BaseJsonFormatter
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from app.config import Settings
from app.db import SessionDep
from app.main import create_app
from app.models import Event

SLOW_QUERY = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000000)"
    " SELECT count(*) FROM c"
)


@pytest.mark.parametrize("path", ["/", "/events", "/docs", "/redoc", "/nope", "/events?x=1"])
def test_security_headers_everywhere(client: TestClient, path: str) -> None:
    headers = client.get(path, headers={"Accept": "text/html"}).headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    csp = headers["content-security-policy"]
    assert "script-src 'self';" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp


def test_pages_have_no_inline_script(client: TestClient) -> None:
    for path in ("/docs", "/redoc"):
        html = client.get(path).text
        assert "<script>" not in html.replace(" ", "")
    page = client.get("/", headers={"Accept": "text/html"}).text
    assert "<script src=" in page
    assert "<script>" not in page


@pytest.fixture
def app(seeded_url: str) -> FastAPI:
    app = create_app(Settings(database_url=seeded_url, statement_timeout_ms=300))

    @app.get("/_slow")
    def slow(session: SessionDep) -> int:
        return int(session.scalar(text(SLOW_QUERY)) or 0)

    return app


def test_the_api_cannot_write(app: FastAPI) -> None:
    engine = app.state.engine
    with engine.connect() as connection:
        before = connection.scalar(select(func.count()).select_from(Event))
        with pytest.raises(DBAPIError, match="(?i)read.?only"):
            connection.execute(text("DELETE FROM event"))
        connection.rollback()
        assert connection.scalar(select(func.count()).select_from(Event)) == before


def test_a_slow_query_is_cut_off_with_503(app: FastAPI) -> None:
    with TestClient(app) as client:
        response = client.get("/_slow")
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["retry-after"]
        assert client.get("/health").status_code == 200  # the worker is free again


def test_access_log_is_json_without_query_strings(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="app.access"):
        started = time.perf_counter()
        client.get("/events", params={"q": "private words"})
        elapsed_ms = (time.perf_counter() - started) * 1000
    record = next(r for r in caplog.records if r.name == "app.access")
    assert (record.method, record.path, record.status) == ("GET", "/events", 200)  # type: ignore[attr-defined]
    # The request's own time: more than nothing, less than the client saw (to its rounding).
    assert 0 < record.duration_ms <= elapsed_ms + 0.005  # type: ignore[attr-defined]
    handler = next(
        h for h in logging.getLogger().handlers if isinstance(h.formatter, BaseJsonFormatter)
    )
    formatted = handler.format(record)
    line = json.loads(formatted)
    assert line["path"] == "/events"
    assert "private" not in formatted
