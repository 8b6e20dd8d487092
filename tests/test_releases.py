"""Releases, record history and the change feed, through the CLI and the HTTP API."""

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from app import migrate
from app.config import Settings
from app.main import create_app
from tests.conftest import DATA_DIR, run_cli
from tests.factories import localized, make_actor, make_event, make_source, write_data

ATOM = "{http://www.w3.org/2005/Atom}"


def write_events(path: Path, *events: dict[str, object]) -> Path:
    """A data file with the test source and actor and `events`."""
    return write_data(path, sources=[make_source()], actors=[make_actor()], events=list(events))


def load(url: str, *args: str | Path) -> str:
    """Run `sahel-timeline load` and return what it printed; fail the test if it fails."""
    result = run_cli("load", *map(str, args), database_url=url)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def corrected(empty_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """Release 1 with events `kept`, `retitled` and `pruned`; release 2 retitles one, adds
    `added` and prunes `pruned`."""
    first = write_events(
        tmp_path / "first.json",
        make_event(id="kept"),
        make_event(id="retitled", title=localized("Old title")),
        make_event(id="pruned"),
    )
    load(empty_url, first, "--note", "First")
    second = write_events(
        tmp_path / "second.json",
        make_event(id="kept"),
        make_event(id="retitled", title=localized("New title")),
        make_event(id="added"),
    )
    load(empty_url, second, "--prune", "--note", "Retitle one, add one, prune one")
    with TestClient(create_app(Settings(database_url=empty_url))) as client:
        yield client


def test_one_load_is_one_release_whose_counts_say_what_changed(corrected: TestClient) -> None:
    releases = corrected.get("/releases").json()
    assert [r["number"] for r in releases["items"]] == [2, 1]
    latest = releases["items"][0]
    assert latest["note"] == "Retitle one, add one, prune one"
    assert latest["counts"]["event"] == {"created": 1, "updated": 1, "deleted": 1}
    assert latest["counts"]["actor"] == {"created": 0, "updated": 0, "deleted": 0}
    assert corrected.get("/releases/2").json() == latest


def test_changes_since_list_exactly_what_the_release_changed(corrected: TestClient) -> None:
    items = corrected.get("/changes", params={"since": 1}).json()["items"]
    assert sorted((c["id"], c["change"], c["fields"]) for c in items) == [
        ("added", "created", []),
        ("pruned", "deleted", []),
        ("retitled", "updated", ["title"]),
    ]
    assert {c["release"] for c in items} == {2}


def test_changes_are_paged_with_a_cursor(corrected: TestClient) -> None:
    seen, url = [], "/changes?since=0&limit=2"
    while url:
        page = corrected.get(url).json()
        seen += [(c["id"], c["change"]) for c in page["items"]]
        url = page["next"]
    everything = corrected.get("/changes", params={"since": 0, "limit": 500}).json()["items"]
    assert seen == [(c["id"], c["change"]) for c in everything]
    assert len(seen) == 2 + 3 + 3  # source, actor and three events; then three changes


def test_pruned_event_is_gone_with_a_link_to_its_history(corrected: TestClient) -> None:
    response = corrected.get("/events/pruned")
    assert response.status_code == 410
    assert response.headers["content-type"] == "application/problem+json"
    assert "/events/pruned/history" in response.headers["link"]
    assert corrected.get("/events/never-existed").status_code == 404


def test_history_lists_both_versions_with_the_field_that_changed(corrected: TestClient) -> None:
    history = corrected.get("/events/retitled/history").json()
    assert [(v["release"]["number"], v["change"]) for v in history["items"]] == [
        (2, "updated"),
        (1, "created"),
    ]
    (change,) = history["items"][0]["fields"]
    assert change["field"] == "title"
    assert change["old"]["en"] == "Old title (en)"
    assert change["new"]["en"] == "New title (en)"
    assert corrected.get("/events/pruned/history").json()["items"][0]["change"] == "deleted"
    assert corrected.get("/events/never-existed/history").status_code == 404


def test_atom_feed_is_xml_with_one_entry_per_change(corrected: TestClient) -> None:
    response = corrected.get("/changes.atom", params={"lang": "fr"})
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(corrected.get("/changes?since=0&limit=500").json()["items"])
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert "New title (fr): corrigé (title)" in titles


def test_dry_run_prints_the_changes_and_writes_nothing(empty_url: str, tmp_path: Path) -> None:
    load(empty_url, write_events(tmp_path / "a.json", make_event(id="kept")))
    changed = write_events(
        tmp_path / "b.json", make_event(id="kept", importance=3), make_event(id="new")
    )
    printed = load(empty_url, changed, "--dry-run")
    assert "updated event kept (importance)" in printed
    assert "created event new" in printed
    with TestClient(create_app(Settings(database_url=empty_url))) as client:
        assert len(client.get("/releases").json()["items"]) == 1
        assert client.get("/events/new").status_code == 404


def test_reloading_identical_files_makes_no_release(empty_url: str, tmp_path: Path) -> None:
    path = write_events(tmp_path / "a.json", make_event())
    load(empty_url, path)
    assert "no new release" in load(empty_url, path)
    assert "no new release" in load(empty_url, path, "--prune")


def test_export_then_load_reproduces_releases_and_histories(
    corrected: TestClient, tmp_path: Path, bare_url: str
) -> None:
    engine_url = str(corrected.app.state.settings.database_url)  # type: ignore[attr-defined]
    assert run_cli("export", str(tmp_path / "backup"), database_url=engine_url).returncode == 0
    restored = run_cli("init", database_url=bare_url, DATA_DIR=str(tmp_path / "backup"))
    assert restored.returncode == 0, restored.stderr
    assert "no new release" in restored.stdout
    with TestClient(create_app(Settings(database_url=bare_url))) as client:
        for url in ("/releases", "/events/retitled/history", "/events/pruned/history"):
            assert client.get(url).json() == corrected.get(url).json()
        assert client.get("/events/pruned").status_code == 410


def test_responses_say_which_release_they_show(corrected: TestClient) -> None:
    assert corrected.get("/events").headers["dataset-release"] == "2"
    assert corrected.get("/events/kept").headers["dataset-release"] == "2"


def test_shipped_data_carries_its_history(bare_url: str) -> None:
    result = run_cli("init", database_url=bare_url)
    assert result.returncode == 0, result.stderr
    with TestClient(create_app(Settings(database_url=bare_url))) as client:
        releases = client.get("/releases").json()["items"][::-1]
        assert releases[0]["note"].startswith("The timeline as first published")
        assert releases[1]["counts"]["event"]["deleted"] == 1  # a split event
        assert client.get("/events/ecowas-au-suspend-mali").status_code == 410
        assert "Milestones added" in releases[2]["note"]


def test_migration_makes_the_stored_content_release_one(empty_url: str, tmp_path: Path) -> None:
    path = write_events(tmp_path / "a.json", make_event())
    load(empty_url, path)
    migrate.downgrade(empty_url, "0006")  # a database from before releases, with its data
    migrate.upgrade(empty_url)
    with TestClient(create_app(Settings(database_url=empty_url))) as client:
        (release,) = client.get("/releases").json()["items"]
        assert release["counts"]["event"] == {"created": 1, "updated": 0, "deleted": 0}
        assert client.get("/events/test-event/history").json()["items"][0]["change"] == "created"
    assert "no new release" in load(empty_url, path)


def test_changed_since_lists_only_what_later_releases_changed(corrected: TestClient) -> None:
    events = corrected.get("/events", params={"changed_since": 1}).json()
    assert sorted(e["id"] for e in events["items"]) == ["added", "retitled"]
    assert events["total"] == 2
    everything = corrected.get("/events", params={"changed_since": 0}).json()["items"]
    assert len(everything) == 3
    actor_events = corrected.get("/actors/test-actor/events?changed_since=1").json()["items"]
    assert sorted(e["id"] for e in actor_events) == ["added", "retitled"]
    assert corrected.get("/actors", params={"changed_since": 1}).json()["items"] == []


def test_lists_at_a_release_leave_out_what_later_releases_added(
    empty_url: str, tmp_path: Path
) -> None:
    load(empty_url, write_events(tmp_path / "first.json", make_event(id="first")))
    grown = write_data(
        tmp_path / "second.json",
        sources=[make_source()],
        actors=[make_actor(), make_actor(id="newcomer")],
        events=[make_event(id="first"), make_event(id="second")],
    )
    load(empty_url, grown)
    with TestClient(create_app(Settings(database_url=empty_url))) as client:

        def listed(path: str, **params: int) -> list[str]:
            return [item["id"] for item in client.get(path, params=params).json()["items"]]

        assert listed("/actors") == ["newcomer", "test-actor"]
        assert listed("/actors", release=1) == ["test-actor"]
        assert listed("/events") == ["first", "second"]
        assert listed("/events", release=1) == ["first"]


@pytest.mark.parametrize(
    ("query", "name"),
    [("since=-1", "since"), ("since=2&until=1", "until"), ("since=0&cursor=WyJ4Il0", "cursor")],
)
def test_bad_change_parameters_are_problems_naming_them(
    corrected: TestClient, query: str, name: str
) -> None:
    response = corrected.get(f"/changes?{query}")
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert name in response.json()["detail"]


def test_an_edit_never_loaded_becomes_the_next_release_at_init(
    bare_url: str, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    events = json.loads((data / "events.json").read_text(encoding="utf-8"))
    events["events"][0]["importance"] = 3 if events["events"][0]["importance"] == 1 else 1
    (data / "events.json").write_text(json.dumps(events, ensure_ascii=False), encoding="utf-8")
    assert run_cli("init", database_url=bare_url, DATA_DIR=str(data)).returncode == 0
    with TestClient(create_app(Settings(database_url=bare_url))) as client:
        shipped = client.get("/releases").json()["items"]
        latest = shipped[0]
        assert latest["counts"]["event"] == {"created": 0, "updated": 1, "deleted": 0}
        changes = client.get("/changes", params={"since": latest["number"] - 1}).json()
        assert changes["items"] == [
            {
                "kind": "event",
                "id": events["events"][0]["id"],
                "change": "updated",
                "release": latest["number"],
                "fields": ["importance"],
            }
        ]
