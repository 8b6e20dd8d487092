"""The loader: validation before writing, references, and upserts that replace children."""

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import loader
from app.models import Citation, Event, EventActor, Figure
from app.queries import get_event
from tests.factories import citation, make_actor, make_event, make_source, write_data


def load(session: Session, *paths: Path) -> loader.LoadSummary:
    summary = loader.load(session, list(paths))
    session.commit()
    return summary


def problems_for(session: Session, path: Path) -> list[str]:
    with pytest.raises(loader.LoadError) as caught:
        loader.load(session, [path])
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
    figure = {
        "measure": "troops_deployed",
        "value": 600,
        "qualifier": "about",
        "unit": "soldiers",
        "description": {"en": "Troops", "nl": "Troepen", "fr": "Troupes"},
        "citations": [citation()],
    }
    first = write_data(tmp_path / "a.json", events=[make_event(figures=[figure, figure])])
    load(session, first)
    second = write_data(
        tmp_path / "b.json", events=[make_event(figures=[{**figure, "value": 700}])]
    )
    load(session, second)
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
        f"{path}: events[0] 'test-event': citations[0].source: no source with id 'no-source'"
        in problems
    )
    assert (
        f"{path}: events[0] 'test-event': relations[0].event: no event with id 'no-event'"
        in problems
    )
