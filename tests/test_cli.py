"""The `sahel-timeline` console script, run as an operator would run it."""

import json
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.config import Settings
from app.db import make_engine
from app.main import create_app
from app.models import Event
from tests.conftest import DATA_DIR, run_cli, shipped_files
from tests.databases import fresh_database
from tests.factories import make_actor, make_event, make_source, write_data


def count_events(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        count = connection.scalar(select(func.count()).select_from(Event)) or 0
    engine.dispose()
    return count


def api_snapshot(url: str) -> dict[str, object]:
    """Everything a client can read, in every language: the API's output as a whole."""
    snapshot: dict[str, object] = {}
    with TestClient(create_app(Settings(database_url=url))) as client:
        for lang in ("en", "nl", "fr"):
            events = client.get("/events", params={"limit": 500, "lang": lang}).json()
            actors = client.get("/actors", params={"limit": 500, "lang": lang}).json()
            snapshot[f"events-{lang}"] = events
            snapshot[f"actors-{lang}"] = actors
            for item in events["items"] + actors["items"]:
                snapshot[f"{item['url']}-{lang}"] = client.get(
                    item["url"], params={"lang": lang}
                ).json()
    return snapshot


def test_init_migrates_loads_and_is_idempotent(bare_url: str) -> None:
    first = run_cli("init", database_url=bare_url)
    assert first.returncode == 0, first.stderr
    assert "loaded" in first.stdout
    events = count_events(bare_url)
    assert events == sum(len(json.loads(p.read_text())["events"]) for p in DATA_DIR.glob("e*.json"))
    before = api_snapshot(bare_url)
    second = run_cli("init", database_url=bare_url)
    assert second.returncode == 0, second.stderr
    assert api_snapshot(bare_url) == before


def test_load_export_load_gives_identical_api_output(empty_url: str, tmp_path: Path) -> None:
    assert run_cli("load", *map(str, shipped_files()), database_url=empty_url).returncode == 0
    exported = tmp_path / "exported"
    result = run_cli("export", str(exported), database_url=empty_url)
    assert result.returncode == 0, result.stderr
    with fresh_database(tmp_path) as second_url:
        assert run_cli("migrate", database_url=second_url).returncode == 0
        files = [str(p) for p in exported.glob("*.json") if p.name != "schema.json"]
        assert run_cli("load", *files, database_url=second_url).returncode == 0
        assert api_snapshot(second_url) == api_snapshot(empty_url)


def test_export_of_the_shipped_data_reproduces_the_files(empty_url: str, tmp_path: Path) -> None:
    loaded = run_cli("load", *map(str, shipped_files()), database_url=empty_url)
    assert loaded.returncode == 0, loaded.stderr
    exported = run_cli("export", str(tmp_path), database_url=empty_url)
    assert exported.returncode == 0, exported.stderr
    for shipped in DATA_DIR.glob("*.json"):
        assert (tmp_path / shipped.name).read_text() == shipped.read_text(), shipped.name


def test_init_loads_the_files_of_data_dir(bare_url: str, tmp_path: Path) -> None:
    data = tmp_path / "elsewhere"
    data.mkdir()
    write_data(
        data / "mine.json",
        sources=[make_source()],
        actors=[make_actor()],
        events=[make_event(id="from-data-dir")],
    )
    result = run_cli("init", database_url=bare_url, DATA_DIR=str(data))
    assert result.returncode == 0, result.stderr
    with TestClient(create_app(Settings(database_url=bare_url))) as client:
        assert [e["id"] for e in client.get("/events").json()["items"]] == ["from-data-dir"]


def test_bad_file_changes_nothing_and_names_file_record_field(
    empty_url: str, tmp_path: Path
) -> None:
    assert run_cli("init", database_url=empty_url).returncode == 0
    before = api_snapshot(empty_url)
    good = write_data(
        tmp_path / "good.json",
        sources=[make_source()],
        actors=[make_actor()],
        events=[make_event(id="fine-event")],
    )
    bad = write_data(
        tmp_path / "bad.json",
        events=[make_event(id="ok-one"), make_event(id="broken-one", start="2021-02-30")],
    )
    result = run_cli("load", str(good), str(bad), database_url=empty_url)
    assert result.returncode == 1
    assert f"{bad}: events[1] 'broken-one': start:" in result.stderr
    assert "day 30 does not exist" in result.stderr
    assert "nothing was changed" in result.stderr
    assert api_snapshot(empty_url) == before


def test_load_reports_unknown_references(empty_url: str, tmp_path: Path) -> None:
    path = write_data(
        tmp_path / "refs.json",
        sources=[make_source()],
        events=[make_event(actors=[{"actor": "ghost", "role": "initiator"}])],
    )
    result = run_cli("load", str(path), database_url=empty_url)
    assert result.returncode == 1
    assert "events[0] 'test-event': actors[0].actor: no actor with id 'ghost'" in result.stderr
    assert count_events(empty_url) == 0


def test_unreadable_file_is_reported(empty_url: str, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"events": [', encoding="utf-8")
    result = run_cli("load", str(broken), str(tmp_path / "missing.json"), database_url=empty_url)
    assert result.returncode == 1
    assert f"{broken}: invalid JSON at line 1" in result.stderr
    assert "missing.json: cannot read" in result.stderr


def test_help_lists_the_commands() -> None:
    result = run_cli("--help", database_url="sqlite://")
    assert result.returncode == 0, result.stderr
    for command in ("migrate", "load", "export", "init", "serve"):
        assert command in result.stdout
