"""The loader: validation before writing, references, and upserts that replace children."""

import itertools
import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, event, func, make_url, select, text
from sqlalchemy.orm import Session

from app.db import make_engine
from app.loading import loader, validation
from app.models import Citation, Event, EventActor, Figure
from app.queries import get_event
from tests.conftest import DATA_DIR, run_cli, schema_drift, shipped_files
from tests.databases import SERVER_URL, scalar
from tests.factories import citation, make_actor, make_event, make_figure, make_source, write_data


def load(session: Session, *paths: Path, replace: bool = False) -> loader.LoadSummary:
    summary = loader.load(session, list(paths), replace=replace)
    session.commit()
    return summary


def problems_for(session: Session, *paths: Path) -> list[str]:
    with pytest.raises(loader.LoadError) as caught:
        loader.load(session, list(paths))
    session.rollback()
    return caught.value.problems


@pytest.fixture
def base(tmp_path: Path, session: Session) -> Path:
    """A source and an actor that events can refer to, already loaded."""
    path = write_data(tmp_path / "base.json", sources=[make_source()], actors=[make_actor()])
    load(session, path)
    return path


def test_upsert_replaces_children_instead_of_adding(
    tmp_path: Path, session: Session, base: Path
) -> None:
    figure = make_figure()
    first = write_data(tmp_path / "a.json", events=[make_event(figures=[figure, figure])])
    load(session, first)
    second = write_data(
        tmp_path / "b.json", events=[make_event(figures=[{**figure, "value": 700}])]
    )
    load(session, second, replace=True)
    values = session.scalars(select(Figure.value)).all()
    assert values == [700]
    assert session.scalar(select(func.count()).select_from(EventActor)) == 1
    # one citation for the event, one for its figure: none left over from the first load
    assert (
        session.scalar(
            select(func.count()).select_from(Citation).where(Citation.event_id.is_not(None))
        )
        == 1
    )


def test_reloading_an_event_keeps_relations_pointing_at_it(
    tmp_path: Path, session: Session, base: Path
) -> None:
    target = make_event(id="target")
    source = make_event(id="cause", relations=[{"type": "caused", "event": "target"}])
    load(session, write_data(tmp_path / "both.json", events=[target, source]))
    load(session, write_data(tmp_path / "again.json", events=[target]))
    loaded = get_event(session, "target")
    assert loaded is not None
    assert [r.subject_id for r in loaded.incoming] == ["cause"]


def test_validation_names_record_and_field(tmp_path: Path, session: Session, base: Path) -> None:
    path = write_data(
        tmp_path / "events.json",
        events=[
            make_event(id="a"),
            make_event(id="b", importance=9),
            make_event(id="c", location={"place": "Gao", "latitude": 16.27}),
            make_event(id="d", citations=[]),
            make_event(id="e", start="2021-06", end="2021-05"),
        ],
    )
    problems = problems_for(session, path)
    assert any(f"{path}: events[1] 'b': importance:" in p for p in problems)
    assert any("events[2] 'c': location:" in p and "give both or neither" in p for p in problems)
    assert any("events[3] 'd': citations:" in p for p in problems)
    assert any("events[4] 'e': (record):" in p and "before start" in p for p in problems)
    assert session.scalar(select(func.count()).select_from(Event)) == 0


def test_unknown_keys_are_errors(tmp_path: Path, session: Session, base: Path) -> None:
    path = write_data(tmp_path / "typo.json", events=[make_event(titel="oops")])
    assert any(
        "events[0] 'test-event': titel: Extra inputs" in p for p in problems_for(session, path)
    )


def test_duplicate_ids_across_files(tmp_path: Path, session: Session, base: Path) -> None:
    one = write_data(tmp_path / "one.json", events=[make_event()])
    two = write_data(tmp_path / "two.json", events=[make_event()])
    with pytest.raises(loader.LoadError) as caught:
        loader.load(session, [one, two])
    assert caught.value.problems == [f"{two}: events[0] 'test-event': id: also defined in {one}"]


def test_references_to_the_database_are_accepted(
    tmp_path: Path, session: Session, base: Path
) -> None:
    path = write_data(tmp_path / "events.json", events=[make_event()])
    assert load(session, path).events == 1
    stored = get_event(session, "test-event")
    assert stored is not None
    assert [a.actor_id for a in stored.actors] == ["test-actor"]
    assert [c.source_id for c in stored.citations] == ["test-source"]


def test_every_missing_reference_is_listed(tmp_path: Path, session: Session, base: Path) -> None:
    path = write_data(
        tmp_path / "refs.json",
        events=[
            make_event(
                citations=[citation(source="no-source")],
                relations=[{"type": "caused", "event": "no-event"}],
            )
        ],
    )
    problems = problems_for(session, path)
    assert (
        f"{path}: events[0] 'test-event': citations[0].source: no source with id 'no-source';"
        " did you mean `test-source`?" in problems
    )
    assert (
        f"{path}: events[0] 'test-event': relations[0].event: no event with id 'no-event';"
        " did you mean `test-event`?" in problems
    )


def test_a_problem_in_a_later_batch_still_changes_nothing(
    tmp_path: Path, session: Session, base: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "BATCH", 2)  # the good events are written before the bad one
    events = [make_event(id=f"e-{n}") for n in range(5)] + [make_event(id="bad", importance=9)]
    problems = problems_for(session, write_data(tmp_path / "big.json", events=events))
    assert [p for p in problems if "'bad': importance" in p]
    assert session.scalar(select(func.count()).select_from(Event)) == 0


def test_records_may_point_at_records_of_later_files(tmp_path: Path, session: Session) -> None:
    events = write_data(
        tmp_path / "1-events.json",
        events=[
            make_event(id="first", relations=[{"type": "caused", "event": "second"}]),
            make_event(id="second", start="2021-06-01"),
        ],
    )
    base = write_data(tmp_path / "2-base.json", sources=[make_source()], actors=[make_actor()])
    assert load(session, events, base).changed == 4
    loaded = get_event(session, "first")
    assert loaded is not None
    assert [r.object_id for r in loaded.outgoing] == ["second"]
    assert [a.actor_id for a in loaded.actors] == ["test-actor"]


def test_a_million_problems_are_not_a_million_lines(
    tmp_path: Path, session: Session, base: Path
) -> None:
    events = [make_event(id=f"e-{n}", importance=0) for n in range(validation.MAX_PROBLEMS + 50)]
    problems = problems_for(session, write_data(tmp_path / "bad.json", events=events))
    assert len(problems) == validation.MAX_PROBLEMS + 1
    assert problems[-1] == "... and 50 more"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"events": [\n{"id": "a"},\n{"id": "b",,}\n]}', "invalid JSON at line 3 column 12"),
        ('{"events": []} {}', "extra data after the object"),
        ('{"evnts": []}', "file: evnts: Extra inputs are not permitted"),
        ('{"events": {}}', "expecting an array of events"),
        ("[]", "expecting an object"),
    ],
)
def test_a_broken_file_is_named_with_where_it_breaks(
    tmp_path: Path, session: Session, text: str, expected: str
) -> None:
    path = tmp_path / "broken.json"
    path.write_text(text, encoding="utf-8")
    problems = problems_for(session, path)
    assert any(p.startswith(f"{path}: ") and expected in p for p in problems), problems


def test_a_first_load_leaves_every_index_in_place(tmp_path: Path, session: Session) -> None:
    """Indexes dropped for the bulk insert are built again in the same transaction."""
    base = write_data(tmp_path / "base.json", sources=[make_source()], actors=[make_actor()])
    load(session, base, write_data(tmp_path / "events.json", events=[make_event()]))
    assert [d for d in schema_drift(session.connection()) if "index" in d[0]] == []
    assert session.execute(text("SELECT count(*) FROM event")).scalar() == 1


def test_a_large_load_validates_in_a_worker_with_the_same_outcome(
    tmp_path: Path, session: Session, base: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validation, "WORKER_THRESHOLD", 0)  # every load counts as large
    good = write_data(tmp_path / "good.json", events=[make_event(id=f"e-{n}") for n in range(3)])
    assert load(session, good).events == 3
    bad = write_data(tmp_path / "bad.json", events=[make_event(id="late", importance=7)])
    assert any("'late': importance" in p for p in problems_for(session, bad))
    assert session.scalar(select(func.count()).select_from(Event)) == 3


@pytest.mark.parametrize("worker", [False, True], ids=["in-process", "worker"])
def test_a_reload_still_refuses_what_is_wrong_beside_records_it_holds(
    tmp_path: Path, session: Session, base: Path, monkeypatch: pytest.MonkeyPatch, worker: bool
) -> None:
    if worker:
        monkeypatch.setattr(validation, "WORKER_THRESHOLD", 0)
    events = [make_event(id=f"e-{n}") for n in range(3)]
    load(session, write_data(tmp_path / "events.json", events=events))
    events[1] = make_event(id="e-1", importance=7)
    changed = write_data(tmp_path / "changed.json", events=events)
    again = write_data(tmp_path / "again.json", events=[make_event(id="e-2")])
    assert problems_for(session, changed) == [
        f"{changed}: events[1] 'e-1': importance: Input should be less than or equal to 3"
    ]
    assert problems_for(session, changed.with_name("events.json"), again)[-1] == (
        f"{again}: events[0] 'e-2': id: also defined in {tmp_path / 'events.json'}"
    )


def test_pruning_keeps_the_records_held_as_the_files_give_them(
    tmp_path: Path, session: Session, base: Path
) -> None:
    load(session, write_data(tmp_path / "two.json", events=[make_event(id="a"), make_event()]))
    one = write_data(tmp_path / "one.json", events=[make_event()])
    summary = loader.load(session, [base, one], prune=True)
    assert (summary.changed, summary.events) == (1, 1)
    assert session.scalars(select(Event.id)).all() == ["test-event"]


SQLITE_FILE = pytest.mark.skipif(SERVER_URL is not None, reason="SQLite's journal and pragmas")


def pragmas(session: Session) -> tuple[str, int]:
    """The journal mode of the file and whether this connection checks foreign keys."""
    journal = session.execute(text("PRAGMA journal_mode")).scalar_one()
    return journal, session.execute(text("PRAGMA foreign_keys")).scalar_one()


def shipped_load(engine: Engine) -> tuple[str, int]:
    """Load the shipped data through `loader.transaction`; the pragmas it wrote under."""
    with loader.transaction(engine) as session:
        seen = pragmas(session)
        loader.load(session, shipped_files())
    return seen


@SQLITE_FILE
def test_a_first_load_writes_without_log_or_key_checks_and_restores_both(
    empty_url: str,
) -> None:
    engine = make_engine(empty_url)
    assert shipped_load(engine) == ("delete", 0)
    with Session(engine) as session:  # the pool hands back the connection the load used
        assert pragmas(session) == ("wal", 1)
        assert session.execute(text("PRAGMA foreign_key_check")).all() == []
        assert session.scalar(select(func.count()).select_from(Event)) == len(
            json.loads((DATA_DIR / "events.json").read_text())["events"]
        )
    assert shipped_load(engine) == ("wal", 1), "a database with records keeps its guards"
    engine.dispose()


@SQLITE_FILE
def test_a_first_load_beside_an_open_connection_keeps_the_log(empty_url: str) -> None:
    engine = make_engine(empty_url)
    server = make_engine(empty_url, read_only=True)
    with server.connect() as reading:
        reading.execute(text("SELECT count(*) FROM event"))
        reading.rollback()  # open between requests, as a server's connection is
        assert shipped_load(engine) == ("wal", 1)
        assert reading.execute(text("SELECT count(*) FROM event")).scalar_one() > 0
    server.dispose()
    engine.dispose()


@SQLITE_FILE
def test_a_failed_first_load_leaves_the_database_empty_and_guarded(
    tmp_path: Path, empty_url: str
) -> None:
    engine = make_engine(empty_url)
    orphan = write_data(tmp_path / "orphan.json", events=[make_event()])
    with pytest.raises(loader.LoadError), loader.transaction(engine) as session:
        loader.load(session, [orphan])
    with Session(engine) as session:
        assert pragmas(session) == ("wal", 1)
        assert session.scalar(select(func.count()).select_from(Event)) == 0
    engine.dispose()


@SQLITE_FILE
def test_a_load_that_another_beats_to_the_empty_database_changes_nothing(
    tmp_path: Path, empty_url: str
) -> None:
    """Records written between the check for an empty database and the transaction."""
    engine = make_engine(empty_url)
    other = sqlite3.connect(make_url(empty_url).database or "")

    begins = itertools.count(1)

    def write_first(_connection: Connection) -> None:
        if next(begins) != 2:  # the first begins the check made before the transaction
            return
        columns = "id, publisher, language, content_hash"
        other.execute(f"INSERT INTO source ({columns}) VALUES ('s', 'p', 'en', 'h')")
        other.commit()

    event.listen(engine, "begin", write_first)
    base = write_data(tmp_path / "base.json", sources=[make_source()], actors=[make_actor()])
    with pytest.raises(loader.LoadError, match="another load"), loader.transaction(engine) as s:
        loader.load(s, [base])
    other.close()
    with Session(engine) as session:
        assert pragmas(session) == ("wal", 1)
        assert session.execute(text("SELECT id FROM source")).scalars().all() == ["s"]
    engine.dispose()


@pytest.mark.skipif(SERVER_URL is None, reason="PostgreSQL's visibility map")
def test_a_load_leaves_postgresql_tables_all_visible(empty_url: str) -> None:
    """Vacuumed once committed: index-only scans (counts, an actor's page) need no visit to
    the table for rows a load just wrote."""
    result = run_cli("load", *map(str, shipped_files()), database_url=empty_url)
    assert result.returncode == 0, result.stderr
    for table in ("event", "event_actor", "event_item"):
        pages, visible = scalar(
            empty_url,
            "SELECT array[relpages, relallvisible] FROM pg_class WHERE relname = :table",
            table=table,
        )
        assert pages > 0
        assert visible == pages, table
