"""What `sahel-timeline load` says about broken files: a line per problem naming file,
record and field, at most `MAX_PROBLEMS` of them, and nothing written."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app import cli
from app.config import get_settings
from app.loading.validation import MAX_PROBLEMS, LoadError, validate
from tests.factories import make_actor, make_event, make_source, write_data


@pytest.fixture
def database(empty_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The command line's database: a fresh one, named the way an operator names it."""
    monkeypatch.setenv("DATABASE_URL", empty_url)
    get_settings.cache_clear()
    yield empty_url
    get_settings.cache_clear()


def load(capsys: pytest.CaptureFixture[str], *paths: Path) -> list[str]:
    """The problems `sahel-timeline load` reports for `paths`, which it must refuse."""
    assert cli.main(["load", *map(str, paths)]) == 1
    heading, *problems = capsys.readouterr().err.splitlines()
    assert heading == "load failed, nothing was changed:"
    return problems


def broken(path: Path, **extra: Any) -> Path:
    """A file whose records go wrong in every way a record can, in this order."""
    events: list[Any] = [
        "not a record",
        {k: v for k, v in make_event().items() if k != "id"},
        make_event(id="bad-role", actors=[{"actor": "test-actor", "role": "bystander"}]),
        make_event(id="twice"),
        make_event(id="twice"),
        make_event(id="after-twice", importance=9),
    ]
    return write_data(path, sources=[make_source()], actors=[make_actor()], events=events, **extra)


def test_each_problem_names_file_record_and_field(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = broken(tmp_path / "broken.json", **{"$schema": 5, "extras": []})
    roles = (
        "'initiator', 'target', 'announcer', 'participant', 'contributor', 'signatory',"
        " 'subject' or 'publisher'"
    )
    assert load(capsys, path) == [
        f"{path}: events[0]: (record): Input should be a valid dictionary or instance of EventIn",
        f"{path}: events[1]: id: Field required",
        f"{path}: events[2] 'bad-role': actors[0].role: Input should be {roles}",
        f"{path}: events[4] 'twice': id: also defined in {path}",
        f"{path}: events[5] 'after-twice': importance: Input should be less than or equal to 3",
        f"{path}: file: $schema: Input should be a valid string",
        f"{path}: file: extras: Extra inputs are not permitted",
    ]


@pytest.mark.parametrize(
    ("count", "more"), [(MAX_PROBLEMS, []), (MAX_PROBLEMS + 1, ["... and 1 more"])]
)
def test_problems_beyond_the_limit_are_counted_not_listed(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], count: int, more: list[str]
) -> None:
    events = [make_event(id=f"e-{n}", importance=0) for n in range(count)]
    path = write_data(
        tmp_path / "many.json", sources=[make_source()], actors=[make_actor()], events=events
    )
    problems = load(capsys, path)
    assert len(problems) == MAX_PROBLEMS + len(more)
    assert problems[MAX_PROBLEMS:] == more


def test_validate_refuses_a_broken_file_without_a_database(tmp_path: Path) -> None:
    path = broken(tmp_path / "broken.json")
    with pytest.raises(LoadError) as refused:
        validate([path])
    assert refused.value.problems[1] == f"{path}: events[1]: id: Field required"
    assert len(refused.value.problems) == 5


def test_an_unknown_field_is_named_in_full(tmp_path: Path) -> None:
    """The field's name keeps its first letters, whatever they are (`X`, here)."""
    path = write_data(tmp_path / "extra.json", sources=[make_source(Xref="1")])
    with pytest.raises(LoadError) as refused:
        validate([path])
    assert [p for p in refused.value.problems if "Xref" in p] == refused.value.problems != []
