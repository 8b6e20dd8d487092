"""The README's add-an-event walk-through, run as written: its example event and its
commands are read from README.md, so the test fails when the README drifts."""

import json
import re
import shlex
import shutil
from pathlib import Path

from app.config import PROJECT_ROOT
from tests.conftest import DATA_DIR, run_cli

README = PROJECT_ROOT / "README.md"
_SECTION = "## Data files and how to add an event"
_BLOCK = re.compile(r"```(json|sh)\n(.*?)```", re.DOTALL)
_COMMAND = ".venv/bin/sahel-timeline"


def walkthrough() -> tuple[dict[str, object], list[list[str]]]:
    """The README's example event, and the `sahel-timeline` commands of its steps."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index(_SECTION) :]
    section = section[: section.index("\n## ", len(_SECTION))]
    blocks = {kind: re.sub(r"(?m)^   ", "", body) for kind, body in _BLOCK.findall(section)}
    commands = [shlex.split(line, comments=True) for line in blocks["sh"].splitlines()]
    return json.loads(blocks["json"]), [c for c in commands if c and c[0] == _COMMAND]


def run(checkout: Path, database_url: str, command: list[str]) -> str:
    """Run a README command in `checkout`, through the installed entry point; it must succeed."""
    result = run_cli(*command[1:], database_url=database_url, cwd=checkout)
    assert result.returncode == 0, f"{shlex.join(command)}:\n{result.stdout}{result.stderr}"
    return result.stdout


def test_the_readme_walkthrough_adds_its_example_event(empty_url: str, tmp_path: Path) -> None:
    event, commands = walkthrough()
    assert [c[1] for c in commands] == ["migrate", "load", "export"]
    checkout = tmp_path / "checkout"
    shutil.copytree(DATA_DIR, checkout / "data")
    events_file = checkout / "data" / "events.json"
    shipped = json.loads(events_file.read_text(encoding="utf-8"))
    assert event["id"] not in {e["id"] for e in shipped["events"]}, "the example reuses an id"
    shipped["events"].append(event)  # step 2, as an editor would: the event at the end
    events_file.write_text(json.dumps(shipped, ensure_ascii=False, indent=2), encoding="utf-8")

    outputs = [run(checkout, empty_url, command) for command in commands]

    assert f"{len(shipped['events'])} events" in outputs[1]
    assert "; release " in outputs[1]
    exported = json.loads(events_file.read_text(encoding="utf-8"))["events"]
    assert [e for e in exported if e["id"] == event["id"]] == [event]
    run(checkout, empty_url, [_COMMAND, "check", "--strict", "data"])
    again = run(checkout, empty_url, [_COMMAND, "load", "data"])
    assert "no new release" in again  # the exported files are what the database holds
