"""`sahel-timeline check`: every rule fails (or warns on) a file made to break it, by name.

The files under `tests/check/` are copies of `clean/data.json` with one thing broken;
`texts/` holds the source texts their quotes come from.
"""

import os
import re
from pathlib import Path

import pytest

from tests.conftest import DATA_DIR, missing, run_cli

FIXTURES = Path(__file__).parent / "check"
CLEAN = FIXTURES / "clean"
TEXTS = FIXTURES / "texts"
NO_DATABASE = "sqlite://"  # the check reads files only


def check(*args: str, **env: str) -> tuple[int, list[str]]:
    """Exit status and findings (every line but the summary) of a check."""
    result = run_cli("check", *args, database_url=NO_DATABASE, cwd=None, **env)
    lines = result.stdout.splitlines()
    assert lines, result.stderr
    assert lines[-1].startswith("checked "), result.stdout
    return result.returncode, lines[:-1]


def test_a_clean_file_passes_every_rule() -> None:
    assert check(str(CLEAN), "--sources", str(TEXTS), "--strict") == (0, [])


def test_the_configured_data_directory_is_the_default() -> None:
    assert check(DATA_DIR=str(CLEAN)) == (0, [])


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "no-quote",
            [
                "events[0] 'test-coup': citations: "
                "List should have at least 1 item after validation, not 0"
            ],
        ),
        (
            "quote-not-verbatim",
            [
                "events[0] 'test-coup': citations[0].quote: "
                f"not verbatim in the source text {TEXTS / 'test-source.txt'}"
            ],
        ),
        (
            "offline-quote-not-verbatim",
            [
                "events[0] 'test-coup': citations[2].quote: "
                f"not verbatim in the source text {TEXTS / 'saved-under-another-name.txt'}"
            ],
        ),
        (
            "figure-without-unit",
            [
                "events[0] 'test-coup': figures[0].unit: Field required",
                "events[0] 'test-coup': figures[1].qualifier: Field required",
            ],
        ),
        (
            "unreferenced-actor",
            ["actors[2] 'test-lonely': id: no event and no other actor's relation refers to it"],
        ),
        (
            "relation-without-citation",
            ["actors[0] 'test-junta': relations[0].citations: Field required"],
        ),
        ("missing-language", ["events[0] 'test-coup': title.nl: Field required"]),
        (
            "placeholder",
            [
                "actors[1] 'test-army': name.en: placeholder text '…'",
                "events[0] 'test-coup': summary.fr: placeholder text 'TODO: traduire'",
                "events[0] 'test-coup': figures[0].unit: placeholder text '?'",
            ],
        ),
        (
            "unknown-reference",
            [
                "events[0] 'test-coup': citations[0].source: no source with id 'no-such-source';"
                " did you mean `test-source`?"
            ],
        ),
    ],
)
def test_each_rule_fails_its_file_naming_file_record_and_field(
    name: str, expected: list[str]
) -> None:
    path = FIXTURES / f"{name}.json"
    status, findings = check(str(path), "--sources", str(TEXTS))
    assert (status, findings) == (1, [f"error: {path}: {line}" for line in expected])


def test_a_date_no_quote_supports_warns_and_fails_only_when_strict() -> None:
    path = FIXTURES / "too-precise.json"
    warning = (
        f"warning: {path}: actors[0] 'test-junta': relations[0].start: 2021-05-12 is precise"
        " to the day, but no quote names day 12, a weekday or a relative day, and no cited"
        " source was published that day"
    )
    assert check(str(path)) == (0, [warning])
    assert check(str(path), "--strict") == (1, [warning])


def test_a_directory_without_data_files_fails() -> None:
    result = run_cli("check", str(TEXTS), database_url=NO_DATABASE)
    assert result.returncode == 1
    assert f"error: {TEXTS}: no data files" in result.stderr


def test_the_shipped_data_passes_strictly() -> None:
    status, findings = check(str(DATA_DIR), "--strict")
    assert findings == []
    assert status == 0


def source_texts() -> Path:
    """The source texts directory named by SOURCE_TEXTS_DIR; required on CI."""
    value = os.environ.get("SOURCE_TEXTS_DIR", "")
    directory = Path(value)
    if not value or not directory.is_dir():
        missing(
            f"the source texts directory (SOURCE_TEXTS_DIR={value!r})",
            "set SOURCE_TEXTS_DIR to a directory holding the source texts",
        )
    return directory


def test_the_shipped_quotes_are_verbatim_in_their_source_texts() -> None:
    result = run_cli(
        "check", str(DATA_DIR), "--sources", str(source_texts()), database_url=NO_DATABASE
    )
    assert "quote: not verbatim" not in result.stdout
    found = re.search(r"(\d+) quotes found in source texts", result.stdout)
    assert found, result.stdout
    assert int(found[1]) > 10
