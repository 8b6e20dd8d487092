"""The synthetic data generator: deterministic, and its output loads through `load`."""

from pathlib import Path

from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from scripts.generate import write
from tests.conftest import load_files


def test_same_seed_same_files(tmp_path: Path) -> None:
    first = [p.read_bytes() for p in write(tmp_path / "a", 50, seed=7)]
    second = [p.read_bytes() for p in write(tmp_path / "b", 50, seed=7)]
    assert first == second
    third = [p.read_bytes() for p in write(tmp_path / "c", 50, seed=8)]
    assert third != first


def test_generated_data_loads_and_serves(empty_url: str, tmp_path: Path) -> None:
    load_files(empty_url, write(tmp_path, 300, seed=1))
    with TestClient(create_app(Settings(database_url=empty_url))) as client:
        body = client.get("/events", params={"limit": 500}).json()
        assert body["total"] == 300
        precisions = {item["precision"] for item in body["items"]}
        assert precisions == {"year", "month", "day"}
        assert all(1 <= len(item["actors"]) <= 4 for item in body["items"])
        assert client.get("/actors").json()["total"] == 15
