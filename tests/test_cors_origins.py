"""`CORS_ORIGINS` is checked at start-up: a trailing slash is dropped, a non-origin refused."""

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from tests.conftest import run_cli

FRONTEND = "http://127.0.0.1:8950"


@pytest.mark.parametrize("written", [f"{FRONTEND}/", FRONTEND.upper(), f" {FRONTEND} "])
def test_origin_as_written_allows_the_browser_origin(seeded_url: str, written: str) -> None:
    settings = Settings(database_url=seeded_url, cors_origins=written)
    with TestClient(create_app(settings)) as client:
        response = client.get("/events", headers={"Origin": FRONTEND})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == FRONTEND


@pytest.mark.parametrize(
    "written", ["example.org", "https://example.org/app", "ftp://example.org", "http://a:b@x.org"]
)
def test_start_refuses_what_is_not_an_origin(seeded_url: str, written: str) -> None:
    result = run_cli("migrate", database_url=seeded_url, CORS_ORIGINS=f"{FRONTEND},{written}")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f"error: CORS_ORIGINS: {written!r} is not an origin: write scheme://host[:port] with "
        "nothing after it, e.g. https://example.org or http://127.0.0.1:8950, or * for any"
    )
