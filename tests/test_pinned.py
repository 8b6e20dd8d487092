"""Reads pinned to a release (`release=N`): the data exactly as that release held it."""

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from app import overlay
from app.config import Settings
from app.db import make_engine
from app.loading import loader
from app.main import create_app
from tests.conftest import run_cli
from tests.databases import SERVER_URL
from tests.factories import localized, make_actor, make_event, make_source, write_data

IMMUTABLE = "public, max-age=31536000, immutable"


def write(path: Path, *events: dict[str, Any], actor_name: str = "Old name") -> Path:
    """A data file with the test source, the test actor named `actor_name`, and `events`."""
    actor = make_actor(name=localized(actor_name), country="ML")
    return write_data(path, sources=[make_source()], actors=[actor], events=list(events))


def load(url: str, *args: str | Path) -> None:
    result = run_cli("load", *map(str, args), database_url=url)
    assert result.returncode == 0, result.stderr


FIRST = [
    make_event(id="kept", start="2020-01", tags=["kept"]),
    make_event(id="retitled", title=localized("Old title"), start="2021-03", tags=["old"]),
    make_event(id="pruned", start="2022", type="coup", location={"place": "Gao", "country": "ML"}),
]
SECOND = [
    make_event(id="kept", start="2020-01", tags=["kept"]),
    make_event(id="retitled", title=localized("New title"), start="2019", tags=["new"]),
    make_event(id="added", start="2023"),
]


@pytest.fixture
def url(empty_url: str, tmp_path: Path) -> str:
    """Release 1: `kept`, `retitled`, `pruned`. Release 2 retitles (and redates) one, adds
    `added`, prunes `pruned` and renames the actor."""
    load(empty_url, write(tmp_path / "first.json", *FIRST), "--note", "First")
    second = write(tmp_path / "second.json", *SECOND, actor_name="New name")
    load(empty_url, second, "--prune", "--replace", "--note", "Second")
    return empty_url


@pytest.fixture
def client(url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=url))) as test_client:
        yield test_client


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def walk(client: TestClient, url: str) -> list[str]:
    """Every id of a paged list, following `next`."""
    found: list[str] = []
    next_url: str | None = url
    while next_url is not None:
        page = client.get(next_url)
        assert page.headers["dataset-release"] == "1"
        found += ids(page)
        next_url = page.json()["next"]
        if next_url is not None:
            assert "release=1" in next_url
    return found


def test_the_old_title_at_the_old_release_is_immutable(client: TestClient) -> None:
    old = client.get("/events/retitled?release=1")
    assert old.json()["title"] == "Old title (en)"
    assert old.headers["cache-control"] == IMMUTABLE
    assert old.headers["dataset-release"] == "1"
    assert client.get("/events/retitled").json()["title"] == "New title (en)"
    assert client.get("/events/retitled").headers["cache-control"] == "public, max-age=60"
    latest = client.get("/events/retitled?release=2")
    assert latest.json()["title"] == "New title (en)"
    assert latest.headers["cache-control"] == IMMUTABLE


def test_a_pruned_event_is_gone_now_and_served_where_it_existed(client: TestClient) -> None:
    assert client.get("/events/pruned").status_code == 410
    assert client.get("/events/pruned?release=2").status_code == 410
    assert client.get("/events/pruned?release=1").json()["id"] == "pruned"


def test_an_event_is_not_found_before_it_was_created_nor_ever_if_it_never_was(
    client: TestClient,
) -> None:
    assert client.get("/events/added?release=1").status_code == 404
    assert client.get("/events/added?release=2").status_code == 200
    for release in (1, 2):
        assert client.get(f"/events/never?release={release}").status_code == 404


def test_a_list_at_a_release_holds_what_it_held(client: TestClient) -> None:
    assert ids(client.get("/events?release=1")) == ["kept", "retitled", "pruned"]
    assert ids(client.get("/events?release=2")) == ["retitled", "kept", "added"]
    assert ids(client.get("/events?release=1&sort=-date")) == ["pruned", "retitled", "kept"]
    assert client.get("/events?release=1").json()["total"] == 3


def test_filters_and_search_apply_to_the_release(client: TestClient) -> None:
    assert ids(client.get("/events?release=1&q=old")) == ["retitled"]
    assert ids(client.get("/events?release=1&q=new")) == []
    assert ids(client.get("/events?release=1&tag=old")) == ["retitled"]
    assert ids(client.get("/events?release=1&from=2021&to=2021")) == ["retitled"]
    assert ids(client.get("/events?release=1&from=2021&date_match=within")) == [
        "retitled",
        "pruned",
    ]
    assert ids(client.get("/events?release=1&type=coup&country=ML")) == ["pruned"]
    assert ids(client.get("/events?release=1&changed_since=0")) == ["kept", "retitled", "pruned"]
    assert ids(client.get("/actors/test-actor/events?release=1")) == ["kept", "retitled", "pruned"]


def test_pinned_pages_keep_the_release_in_their_next_links(client: TestClient) -> None:
    assert walk(client, "/events?release=1&limit=1") == ["kept", "retitled", "pruned"]
    assert walk(client, "/events?release=1&limit=2&sort=-date") == ["pruned", "retitled", "kept"]


def test_exports_and_timeline_show_the_release(client: TestClient) -> None:
    rows = list(csv.DictReader(io.StringIO(client.get("/events.csv?release=1").text)))
    assert [row["id"] for row in rows] == ["kept", "retitled", "pruned"]
    assert "Old title (en)" in client.get("/events.csv?release=1").text
    geojson = client.get("/events.geojson?release=1")
    assert geojson.headers["cache-control"] == IMMUTABLE
    timeline = client.get("/timeline?release=1").json()
    assert "Old title (en)" in str(timeline["events"])


def test_counts_are_those_of_the_release(client: TestClient) -> None:
    facets = client.get("/events/facets?release=1&facet=type&facet=tag&facet=date").json()
    assert facets["total"] == 3
    assert {v["value"]: v["count"] for v in facets["facets"]["type"]} == {
        "announcement": 2,
        "coup": 1,
    }
    tags = {v["value"]: v["count"] for v in facets["facets"]["tag"]}
    assert tags == {"kept": 1, "old": 1, None: 1}  # `pruned` has no tag
    years = {b["value"]: b["count"] for b in facets["facets"]["date"]["buckets"]}
    assert years == {"2020": 1, "2021": 1, "2022": 1}
    types = {t["id"]: t["count"] for t in client.get("/event-types?release=1").json()}
    assert types["coup"] == 1
    assert client.get("/event-types").json() != client.get("/event-types?release=1").json()
    assert {t["id"] for t in client.get("/tags?release=1").json()} == {"kept", "old"}
    (mali,) = client.get("/countries?release=1").json()
    assert (mali["events"], mali["actors"]) == (1, 1)
    actor_facets = client.get("/actors/test-actor/events/facets?release=1&facet=actor").json()
    assert actor_facets["facets"]["actor"][0]["label"] == "Old name (en)"


COUNTS = (
    "/event-types",
    "/tags",
    "/countries",
    "/events/facets?facet=type&facet=tag&facet=country&facet=actor&facet=date",
    "/events/facets?from=2021&to=2021&facet=tag&facet=importance&facet=date&interval=month",
    "/events/facets?facet=tag&facet_size=2",
)


def counts_of(body: Any) -> Any:
    """`body` without its facets' URLs, to which a pinned read adds `release=`."""
    if isinstance(body, dict):
        return {k: counts_of(v) for k, v in body.items() if k != "url"}
    if isinstance(body, list):
        return [counts_of(item) for item in body]
    return body


def test_counts_at_a_release_are_those_it_served_when_it_was_the_latest(
    empty_url: str, tmp_path: Path
) -> None:
    """Counted from the current tables less what changed, plus the overlay: with the actor
    unchanged, most events are read from the current tables and only two from the overlay."""
    extra = [
        make_event(id=f"same-{n}", start=f"2010-0{n}", tags=["kept" if n % 2 else "extra"])
        for n in range(1, 5)
    ]
    load(empty_url, write(tmp_path / "first.json", *FIRST, *extra), "--note", "First")
    with TestClient(create_app(Settings(database_url=empty_url))) as before:
        served = {path: counts_of(before.get(path).json()) for path in COUNTS}
    later = make_event(id="later", start="2010-05", tags=["kept"])
    load(empty_url, write(tmp_path / "second.json", *SECOND, *extra, later), "--prune", "--replace")
    with TestClient(create_app(Settings(database_url=empty_url))) as after:
        for path in COUNTS:
            now = counts_of(after.get(path).json())
            pinned = counts_of(after.get(path + ("&" if "?" in path else "?") + "release=1").json())
            assert pinned == served[path], path
            assert now != pinned, path
            assert "status" not in pinned, pinned


def test_an_actor_at_a_release_has_the_name_it_had(client: TestClient) -> None:
    assert client.get("/actors/test-actor?release=1").json()["name"] == "Old name (en)"
    assert client.get("/actors/test-actor").json()["name"] == "New name (en)"
    (listed,) = client.get("/actors?release=1").json()["items"]
    assert listed["name"] == "Old name (en)"
    assert "Old name (en)" in client.get("/actors.csv?release=1").text
    jsonld = client.get("/actors/test-actor?release=1", headers={"Accept": "application/ld+json"})
    assert "Old name (en)" in jsonld.text
    event = client.get("/events/pruned?release=1", headers={"Accept": "application/ld+json"})
    assert event.status_code == 200


def test_unknown_or_malformed_releases_are_problems_naming_release(client: TestClient) -> None:
    unknown = client.get("/events?release=9")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    assert unknown.json()["errors"][0]["name"] == "release"
    assert "no release 9" in unknown.json()["detail"]
    for bad in ("0", "-1", "two", "1.5"):
        problem = client.get(f"/events/kept?release={bad}")
        assert problem.status_code == 400
        assert problem.json()["errors"][0]["name"] == "release"


def test_a_pinned_etag_survives_later_loads(client: TestClient, url: str, tmp_path: Path) -> None:
    first = client.get("/events?release=1")
    unpinned = client.get("/events")
    third = [*SECOND, make_event(id="later", start="2024")]
    load(url, write(tmp_path / "third.json", *third, actor_name="New name"))
    again = client.get("/events?release=1")
    assert again.headers["etag"] == first.headers["etag"]
    assert again.content == first.content
    assert client.get("/events").headers["etag"] != unpinned.headers["etag"]
    cached = client.get("/events?release=1", headers={"If-None-Match": first.headers["etag"]})
    assert cached.status_code == 304


def test_a_pinned_walk_during_a_load_sees_one_release(
    client: TestClient, url: str, tmp_path: Path
) -> None:
    """Page one before a load, page two while it writes, the rest after it committed."""
    expected = walk(client, "/events?release=1&limit=1")
    first = client.get("/events?release=1&limit=1").json()
    changed = [make_event(id=e["id"], start="2001", tags=["moved"]) for e in SECOND]
    path = write(tmp_path / "moved.json", *changed, make_event(id="pruned"), actor_name="Third")
    engine = make_engine(url)
    try:
        with loader.transaction(engine) as session:
            loader.load(session, [path], note="During a walk", replace=True)
            second = client.get(first["next"])
        assert second.headers["dataset-release"] == "1"
        rest = walk(client, second.json()["next"])
    finally:
        engine.dispose()
    assert client.get("/releases").json()["items"][0]["number"] == 3
    assert ids(client.get("/events")) != expected
    assert [*ids(_Page(first)), *ids(second), *rest] == expected


class _Page:
    """A page already read, as `ids` takes responses."""

    status_code = 200

    def __init__(self, body: dict[str, Any]) -> None:
        self._body = body

    def json(self) -> dict[str, Any]:
        return self._body


def test_releases_are_paged_newest_first(client: TestClient) -> None:
    first = client.get("/releases?limit=1").json()
    assert [r["number"] for r in first["items"]] == [2]
    assert first["total"] == 2
    second = client.get(first["next"]).json()
    assert [r["number"] for r in second["items"]] == [1]
    assert second["next"] is None


def test_restored_history_makes_old_releases_readable(bare_url: str) -> None:
    result = run_cli("init", database_url=bare_url)
    assert result.returncode == 0, result.stderr
    with TestClient(create_app(Settings(database_url=bare_url))) as client:
        assert client.get("/events/ecowas-au-suspend-mali").status_code == 410
        old = client.get("/events/ecowas-au-suspend-mali?release=1")
        assert old.status_code == 200
        assert old.headers["cache-control"] == IMMUTABLE
        listed = ids(client.get("/events?release=1&limit=500"))
        assert "ecowas-au-suspend-mali" in listed
        assert client.get("/events?release=1").json()["total"] == 23


def test_a_release_recorded_by_hashes_alone_is_not_readable(empty_url: str, tmp_path: Path) -> None:
    """Nor does the load of the next release write its overlay."""
    load(empty_url, write(tmp_path / "first.json", *FIRST), "--note", "First")
    engine = make_engine(empty_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE record_version SET content = NULL WHERE release = 1"))
    engine.dispose()
    second = write(tmp_path / "second.json", *SECOND, actor_name="New name")
    load(empty_url, second, "--prune", "--replace", "--note", "Second")
    assert overlay.stored(empty_url) == []
    with TestClient(create_app(Settings(database_url=empty_url))) as client:
        problem = client.get("/events?release=1")
        assert problem.status_code == 404
        assert "release 1 cannot be read" in problem.json()["detail"]
        assert client.get("/events?release=2").status_code == 200


def test_a_second_load_while_one_runs_fails_cleanly_and_writes_nothing(
    url: str, tmp_path: Path
) -> None:
    path = write(tmp_path / "third.json", *SECOND, make_event(id="later"), actor_name="New")
    engine = make_engine(url)
    try:
        with engine.connect() as running:
            # What a running load holds from its first step: the right to the next release.
            if SERVER_URL is None:
                running.execute(text("UPDATE release SET number = number WHERE 0"))
            else:
                running.execute(text("LOCK TABLE release IN EXCLUSIVE MODE"))
            result = run_cli("load", str(path), database_url=url)
            running.rollback()
    finally:
        engine.dispose()
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert "another load is running" in result.stderr
    with TestClient(create_app(Settings(database_url=url))) as client:
        assert client.get("/releases").json()["total"] == 2
        assert client.get("/events/later").status_code == 404


@pytest.fixture
def dependent(empty_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """Release 1: `bystander` names the actor, cites the source and links to `retold`.
    Release 2 renames the actor, the source's publisher and retitles `retold`, and leaves
    `bystander` itself as it was."""
    bystander = make_event(
        id="bystander",
        start="2020",
        location={"place": "Gao", "country": "ML", "latitude": 16.3, "longitude": -0.1},
        relations=[{"type": "caused", "event": "retold"}],
    )
    retold = make_event(id="retold", title=localized("Old title"), start="2021")
    for name, publisher, title in (("Old name", "Old Gazette", "Old title"), ("New", "New", "New")):
        path = write_data(
            tmp_path / f"{name}.json",
            sources=[make_source(publisher=publisher)],
            actors=[make_actor(name=localized(name))],
            events=[bystander, retold | {"title": localized(title)}],
        )
        load(empty_url, path, "--replace")
    with TestClient(create_app(Settings(database_url=empty_url))) as test_client:
        yield test_client


def test_an_untouched_event_shows_what_it_names_as_the_release_did(
    dependent: TestClient,
) -> None:
    event = dependent.get("/events/bystander?release=1").json()
    assert [actor["name"] for actor in event["actors"]] == ["Old name (en)"]
    assert event["citations"][0]["source"]["publisher"] == "Old Gazette"
    assert [r["event"]["title"] for r in event["relations"]] == ["Old title (en)"]
    (item, retold) = dependent.get("/events?release=1").json()["items"]
    assert item["actors"][0]["name"] == "Old name (en)"
    assert retold["actors"][0]["name"] == "Old name (en)"
    (feature,) = dependent.get("/events.geojson?release=1").json()["features"]
    assert feature["properties"]["actors"][0]["name"] == "Old name (en)"
    timeline = dependent.get("/timeline?release=1").text
    assert "Old name (en)" in timeline
    assert "New (en)" not in timeline
    assert dependent.get("/events?release=1").json()["total"] == 2
    now = dependent.get("/events/bystander").json()
    assert now["actors"][0]["name"] == "New (en)"
    assert now["relations"][0]["event"]["title"] == "New (en)"


def test_an_event_read_at_a_release_keeps_the_links_that_point_at_it(
    dependent: TestClient,
) -> None:
    relations = dependent.get("/events/retold?release=1").json()["relations"]
    assert [(r["direction"], r["event"]["id"]) for r in relations] == [("incoming", "bystander")]


def test_an_overlay_is_built_once_and_opened_by_every_later_process(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = client.get("/events?release=1")
    overlay.overlays.clear()  # what a new server process starts with
    monkeypatch.setattr(overlay, "build", build_again)
    again = client.get("/events?release=1")
    assert again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]


def build_again(*args: object) -> None:
    raise AssertionError("the overlay was built again")


def test_the_load_that_makes_a_release_writes_the_overlay_of_the_one_before(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    (written,) = overlay.stored(url)
    assert written.name.endswith("-1.sqlite3")
    monkeypatch.setattr(overlay, "build", build_again)
    with TestClient(create_app(Settings(database_url=url))) as client:
        assert ids(client.get("/events?release=1")) == ["kept", "retitled", "pruned"]


def test_a_server_whose_overlay_file_was_removed_builds_it_again(url: str) -> None:
    """A file removed under a server that has it open (by a load's writer, or a cleaner of
    the temporary directory): the next pinned read builds it again instead of connecting to
    the path, where SQLite would create an empty database and release 1 would lose events."""
    settings = Settings(database_url=url, response_cache_mb=0)
    with TestClient(create_app(settings)) as client:
        first = client.get("/events?release=1")
        (path,) = overlay.stored(url)
        path.unlink()
        again = client.get("/events?release=1")
        assert again.content == first.content
        assert ids(again) == ["kept", "retitled", "pruned"]
        assert overlay.stored(url) == [path]


def test_a_load_replaces_the_overlays_of_the_state_before(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Release 3 writes the overlays of release 2 (the one before) and of release 1 (read
    before the load), removes those of release 2's state, and a server that had one open
    reads release 1 as it did, from the new files."""
    with TestClient(create_app(Settings(database_url=url))) as client:
        before = client.get("/events?release=1")
        (earlier,) = overlay.stored(url)
        third = write(tmp_path / "third.json", *SECOND, make_event(id="late", start="2024"))
        result = run_cli("load", str(third), "--note", "Third", database_url=url)
        assert result.returncode == 0, result.stderr
        assert "overlays for reads pinned to release 1, 2 written" in result.stdout
        assert not earlier.exists()
        assert not earlier.with_suffix(".lock").exists()
        now = overlay.stored(url)
        assert [path.name.rsplit("-", 1)[1] for path in now] == ["1.sqlite3", "2.sqlite3"]
        assert len({path.name.split("-")[1] for path in now}) == 1  # one state of the history
        monkeypatch.setattr(overlay, "build", build_again)
        again = client.get("/events?release=1")
        assert again.json()["items"] == before.json()["items"]
        assert ids(client.get("/events?release=2")) == ["retitled", "kept", "added"]
