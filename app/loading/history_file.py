"""The release history as a file beside the data files: what `export` writes and `load` reads.

`history.jsonl` holds one JSON object a line: every release, oldest first, then every
record version in the order it was recorded. Loaded into a database without releases, it
restores them exactly (numbers, times, notes, hashes); the data files then only add a
release if they differ from the last one.
"""

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.loading.history import has_releases
from app.models import RecordVersion, Release

HISTORY_FILE = "history.jsonl"
_BATCH = 2000
_RELEASE = (Release.number, Release.created_at, Release.note, Release.content_hash, Release.counts)
_VERSION = (
    RecordVersion.kind,
    RecordVersion.record_id,
    RecordVersion.release,
    RecordVersion.change,
    RecordVersion.fields,
    RecordVersion.digest,
    RecordVersion.content,
)


def export_history(session: Session, directory: Path) -> int:
    """Write every release and record version to `directory`; return how many releases."""
    releases = 0
    with (directory / HISTORY_FILE).open("wb") as out:
        for row in session.execute(select(*_RELEASE).order_by(Release.number)):
            created = row.created_at.replace(tzinfo=row.created_at.tzinfo or UTC)
            line = row._asdict() | {"created_at": created.isoformat().replace("+00:00", "Z")}
            out.write(orjson.dumps({"release": line}) + b"\n")
            releases += 1
        versions = select(*_VERSION).order_by(RecordVersion.id).execution_options(yield_per=_BATCH)
        for row in session.execute(versions):
            out.write(orjson.dumps({"version": row._asdict()}) + b"\n")
    return releases


def _lines(path: Path) -> Iterator[dict[str, Any]]:
    with path.open("rb") as lines:
        for line in lines:
            if line.strip():
                yield orjson.loads(line)


def import_history(session: Session, directory: Path) -> int:
    """Restore the history beside the data files into a database that has none.

    Returns how many releases were restored: none if there is no history file, or if the
    database already records releases (its own history then goes on).
    """
    path = directory / HISTORY_FILE
    if not path.is_file() or has_releases(session):
        return 0
    releases, versions = [], []
    for item in _lines(path):
        if (release := item.get("release")) is not None:
            release["created_at"] = datetime.fromisoformat(release["created_at"])
            releases.append(release)
            continue
        versions.append(item["version"])
        if len(versions) >= _BATCH:
            _insert_releases(session, releases)
            session.execute(insert(RecordVersion), versions)
            versions = []
    _insert_releases(session, releases)
    if versions:
        session.execute(insert(RecordVersion), versions)
    return int(session.scalar(select(Release.number).order_by(Release.number.desc())) or 0)


def _insert_releases(session: Session, releases: list[dict[str, Any]]) -> None:
    """Write the releases read so far, before the versions that point at them."""
    if releases:
        session.execute(insert(Release), releases)
        releases.clear()
