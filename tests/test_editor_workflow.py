"""The editor's workflow through `sahel-timeline`: a load says everything wrong at once and
never silently loses work, and `export` never overwrites an edit that was not loaded."""

import json
import re
import shutil
from pathlib import Path

import pytest

from scripts.generate import write
from tests.conftest import DATA_DIR, run_cli
from tests.factories import (
    citation,
    localized,
    make_actor,
    make_event,
    make_figure,
    make_source,
    write_data,
)

PROGRESS = re.compile(r"loading: \d+ of about \d+ records \(\d+%\), \d+ a second, about \d+ s left")


def load(url: str, *args: str | Path) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of `sahel-timeline load`."""
    result = run_cli("load", *map(str, args), database_url=url)
    return result.returncode, result.stdout, result.stderr


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the shipped data directory, schema and history included."""
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy


def test_a_directory_or_glob_skips_the_schema_and_history_saying_so(
    empty_url: str, data: Path
) -> None:
    status, _, err = load(empty_url, data)
    assert status == 0, err
    assert f"skipped {data / 'schema.json'}: the JSON Schema of the data files" in err
    status, _, err = load(empty_url, *sorted(data.iterdir()))  # as the shell expands data/*
    assert status == 0, err
    assert f"skipped {data / 'schema.json'}" in err
    assert f"skipped {data / 'history.jsonl'}: the release history" in err


def test_schema_placeholder_and_reference_problems_come_in_one_report(
    empty_url: str, tmp_path: Path
) -> None:
    path = write_data(
        tmp_path / "new.json",
        sources=[make_source()],
        actors=[make_actor(), make_actor(id="emmanuel-macron")],
        events=[
            make_event(id="bad-date", start="2021-02-30"),
            make_event(id="unfinished", title={"en": "…", "nl": "TODO", "fr": "Titre"}),
            make_event(id="blank", summary={"en": "Said", "nl": "Gezegd", "fr": " "}),
            make_event(id="typo", actors=[{"actor": "emmanuel-macro", "role": "announcer"}]),
            make_event(id="short-name", actors=[{"actor": "macron", "role": "announcer"}]),
        ],
    )
    status, out, err = load(empty_url, path)
    assert status == 1
    assert err.splitlines() == [
        "load failed, nothing was changed:",
        f"{path}: events[0] 'bad-date': start: 2021-02-30: day 30 does not exist in 2021-02",
        f"{path}: events[1] 'unfinished': title.en: placeholder text '…'",
        f"{path}: events[1] 'unfinished': title.nl: placeholder text 'TODO'",
        f"{path}: events[2] 'blank': summary.fr: String should have at least 1 character",
        f"{path}: events[3] 'typo': actors[0].actor: no actor with id 'emmanuel-macro';"
        " did you mean `emmanuel-macron`?",
        f"{path}: events[4] 'short-name': actors[0].actor: no actor with id 'macron';"
        " did you mean `emmanuel-macron`?",
    ]
    assert "Value error" not in err
    assert out == ""
    exported = run_cli("export", str(tmp_path / "out"), database_url=empty_url)
    assert exported.returncode == 0, exported.stderr
    for name in ("sources", "actors", "events"):  # nothing was written
        assert json.loads((tmp_path / "out" / f"{name}.json").read_text()) == {
            "$schema": "./schema.json"
        }


def test_placeholders_in_quotes_and_names_are_refused(empty_url: str, tmp_path: Path) -> None:
    path = write_data(
        tmp_path / "new.json",
        sources=[make_source()],
        actors=[make_actor(name={"en": "TBD", "nl": "Actor", "fr": "Acteur"})],
        events=[make_event(citations=[citation(quote="...")])],
    )
    status, _, err = load(empty_url, path)
    assert status == 1
    assert f"{path}: actors[0] 'test-actor': name.en: placeholder text 'TBD'" in err
    assert f"{path}: events[0] 'test-event': citations[0].quote: placeholder text '...'" in err


def _stored_event(path: Path, **event: object) -> Path:
    """A data file with the test source, two actors and one event."""
    return write_data(
        path,
        sources=[make_source(), make_source(id="other-source")],
        actors=[make_actor(), make_actor(id="second-actor")],
        events=[make_event(**event)],
    )


def test_a_replacement_that_loses_work_is_refused_unless_asked(
    empty_url: str, tmp_path: Path
) -> None:
    full = {
        "actors": [
            {"actor": "test-actor", "role": "initiator"},
            {"actor": "second-actor", "role": "target"},
        ],
        "citations": [citation(), citation(source="other-source")],
        "figures": [make_figure()],
        "tags": ["kept", "dropped"],
    }
    assert load(empty_url, _stored_event(tmp_path / "full.json", **full))[0] == 0
    reused = _stored_event(
        tmp_path / "reused.json", title=localized("Another event under the same id")
    )
    for dry_run in (["--dry-run"], []):
        status, out, err = load(empty_url, reused, *dry_run)
        assert status == 1
        assert err.splitlines()[1:] == [
            f"{reused}: events[0] 'test-event': replacing the stored record would lose"
            " actors `second-actor`; citations of `other-source`; figures `troops_deployed`;"
            " tags `kept`, `dropped`",
            "nothing was replaced; to replace these records anyway, load with --replace",
        ]
    retitled = _stored_event(tmp_path / "retitled.json", **full, title=localized("A better title"))
    status, out, err = load(empty_url, retitled, "--note", "Retitle")
    assert status == 0, err
    assert "1 new or changed" in out
    status, out, err = load(empty_url, reused, "--replace")
    assert status == 0, err
    assert "1 new or changed" in out


def test_export_keeps_hand_edits_until_they_are_loaded(empty_url: str, data: Path) -> None:
    assert load(empty_url, data)[0] == 0
    exported = run_cli("export", str(data), database_url=empty_url)
    assert exported.returncode == 0, exported.stderr  # the files are what was loaded
    events = data / "events.json"
    edited = events.read_text(encoding="utf-8").replace("Operation Serval", "Opération Serval")
    events.write_text(edited, encoding="utf-8")
    refused = run_cli("export", str(data), database_url=empty_url)
    assert refused.returncode == 1
    assert str(events) in refused.stderr
    assert "`load` them first" in refused.stderr
    assert "--force" in refused.stderr
    assert str(data / "actors.json") not in refused.stderr
    assert events.read_text(encoding="utf-8") == edited
    assert load(empty_url, events)[0] == 0
    exported = run_cli("export", str(data), database_url=empty_url)
    assert exported.returncode == 0, exported.stderr
    assert "Opération Serval" in events.read_text(encoding="utf-8")


def test_export_force_overwrites_an_edit(empty_url: str, data: Path) -> None:
    assert load(empty_url, data)[0] == 0
    events = data / "events.json"
    original = events.read_text(encoding="utf-8")
    events.write_text(original.replace("Operation Serval", "Hand edit"), encoding="utf-8")
    forced = run_cli("export", str(data), "--force", database_url=empty_url)
    assert forced.returncode == 0, forced.stderr
    assert events.read_text(encoding="utf-8") == original


def test_progress_lines_when_asked_and_silence_when_not(empty_url: str, tmp_path: Path) -> None:
    files = write(tmp_path / "generated", 200, seed=3)
    status, _, err = load(empty_url, *files, "--progress", "0")
    assert status == 0, err
    lines = err.splitlines()
    assert PROGRESS.fullmatch(lines[0]), lines[0]
    assert any(line.startswith("loading: all ") for line in lines)
    assert re.fullmatch(r"loading: done: \d+ records in [\d.]+ s", lines[-1]), lines[-1]
    exported = run_cli("export", str(tmp_path / "out"), "--progress", "0", database_url=empty_url)
    assert exported.returncode == 0, exported.stderr
    assert re.search(r"^exporting: \d+ of about \d+ records", exported.stderr, re.MULTILINE)
    status, _, err = load(empty_url, *files, "--note", "again")  # stderr is not a terminal
    assert (status, err) == (0, "")
