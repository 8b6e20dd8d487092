"""Data files as the database last loaded or exported them, by path and hash: `export`
overwrites a file only if it still holds what the database knows, so hand edits that were
never loaded are not lost."""

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from app.models import DataFileState

_CHUNK = 1 << 20


def digest(path: Path) -> str:
    """The SHA-256 of the file's bytes."""
    sha = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            sha.update(chunk)
    return sha.hexdigest()


def _key(path: Path) -> str:
    return str(path.resolve())


def record(session: Session, paths: Iterable[Path]) -> None:
    """Remember each file's content as the database's own, now."""
    rows = {_key(path): digest(path) for path in paths}
    if not rows:
        return
    session.execute(delete(DataFileState).where(DataFileState.path.in_(list(rows))))
    now = datetime.now(UTC).replace(microsecond=0)
    session.execute(
        insert(DataFileState),
        [{"path": key, "digest": value, "recorded_at": now} for key, value in rows.items()],
    )


def edited(session: Session, paths: Iterable[Path]) -> list[Path]:
    """Those of `paths` that exist and hold something else than the database last loaded
    or exported there (or that it never did)."""
    existing = [path for path in paths if path.is_file()]
    keys = [_key(path) for path in existing]
    rows = session.execute(
        select(DataFileState.path, DataFileState.digest).where(DataFileState.path.in_(keys))
    )
    known = {row.path: row.digest for row in rows}
    return [
        path for path, key in zip(existing, keys, strict=True) if known.get(key) != digest(path)
    ]
