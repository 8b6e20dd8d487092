"""CI fails, instead of skipping, a test whose prerequisites are missing (`missing`)."""

import os
import subprocess
import sys

from app.config import PROJECT_ROOT

QUOTE_CHECK = "tests/test_check.py::test_the_shipped_quotes_are_verbatim_in_their_source_texts"


def _run_quote_check(**env: str) -> subprocess.CompletedProcess[str]:
    """The quote check in a test run of its own, with no source texts where it looks."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", QUOTE_CHECK],
        cwd=PROJECT_ROOT,
        env={**os.environ, "SOURCE_TEXTS_DIR": str(PROJECT_ROOT / "no-such-directory"), **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_without_the_source_texts_a_ci_run_fails_saying_what_is_missing() -> None:
    result = _run_quote_check(CI="true")
    assert result.returncode == 1, result.stdout
    assert "SOURCE_TEXTS_DIR" in result.stdout
    assert "CI=true, so this fails instead of skipping" in result.stdout


def test_without_the_source_texts_a_run_elsewhere_skips_saying_why() -> None:
    result = _run_quote_check(CI="")
    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout
    assert "set SOURCE_TEXTS_DIR" in result.stdout


def test_the_ci_script_runs_the_tests_as_ci() -> None:
    script = (PROJECT_ROOT / ".ci" / "run").read_text().splitlines()
    first_test = next(n for n, line in enumerate(script) if line.startswith("./dev test"))
    assert "export CI=true" in script[:first_test]
