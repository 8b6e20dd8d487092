"""Releases and record history, written by `load` in its transaction.

Each load records, for every record whose content changed, a version: created, updated
(with the fields that changed) or deleted (a tombstone). If any version was recorded, the
load is a new release; a load that changes nothing leaves no trace. The release's content
hash is the sum of one hash per current record, so it does not depend on file order and is
updated from the changes alone instead of rereading the data set.
"""

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.db import Base
from app.loading.copy import insert_rows
from app.models import RecordVersion, Release

KINDS = ("event", "actor", "source")
CHANGES = ("created", "updated", "deleted")
DEFAULT_NOTE = "Data files loaded."
_MODULUS = 1 << 256
_CHUNK = 2000
_VERSIONS = Base.metadata.tables[RecordVersion.__tablename__]


def digest(content: dict[str, Any]) -> str:
    """The hash of a record's content, whatever its layout in the file."""
    return hashlib.sha256(orjson.dumps(content, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _token(kind: str, record_id: str, record_digest: str) -> int:
    """One record's share of a release's content hash."""
    data = f"{kind}\0{record_id}\0{record_digest}".encode()
    return int.from_bytes(hashlib.sha256(data).digest())


class LoadConflict(Exception):  # noqa: N818  (a state, named as such)
    """Another load holds the right to make the next release, or has just made it."""

    def __init__(self) -> None:
        super().__init__(
            "another load is running or has just made a release; nothing was changed, "
            "load again once it is done"
        )


def _claim(session: Session) -> None:
    """Take the right to make the next release now, or raise `LoadConflict` at once.

    Two loads would otherwise both number their release N+1, and the second would fail late
    on a duplicate key (PostgreSQL) or a lock timeout (SQLite). Readers are not blocked.
    """
    connection = session.connection()
    try:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("LOCK TABLE release IN EXCLUSIVE MODE NOWAIT")
            return
        # A write takes SQLite's one write lock; without waiting, a held one (or a snapshot
        # older than the last commit) is an error now, not after the busy timeout.
        waited = connection.exec_driver_sql("PRAGMA busy_timeout").scalar_one()
        connection.exec_driver_sql("PRAGMA busy_timeout = 0")
        try:
            connection.exec_driver_sql("UPDATE release SET number = number WHERE 0")
        finally:
            connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(waited)}")
    except OperationalError:
        raise LoadConflict() from None


@dataclass(frozen=True)
class Change:
    """One recorded change, as `load --dry-run` prints it."""

    kind: str
    id: str
    change: str
    fields: list[str]


@dataclass
class History:
    """The versions one load records, written as it goes; the release is made at `finish`."""

    session: Session
    number: int
    total: int  # the content hash of the previous release, as a number
    keep: bool = False  # whether to list the changes (a first load of millions does not)
    first: bool = False  # no release before this one: no version to look up
    recorded: int = 0
    changes: list[Change] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: {kind: dict.fromkeys(CHANGES, 0) for kind in KINDS}
    )

    @classmethod
    def on(cls, session: Session, *, keep: bool = False) -> "History":
        """The history of the next release, after the latest stored one.

        The release row is written now so versions can point at it as they are written;
        `finish` removes it again if nothing changed.
        """
        _claim(session)
        latest = session.execute(
            select(Release.number, Release.content_hash).order_by(Release.number.desc()).limit(1)
        ).first()
        number, total = (latest.number + 1, int(latest.content_hash, 16)) if latest else (1, 0)
        session.execute(
            insert(Release).values(
                number=number,
                created_at=datetime.now(UTC).replace(microsecond=0),
                note=DEFAULT_NOTE,
                content_hash="",
                counts={},
            )
        )
        return cls(session, number, total, keep, first=latest is None)

    def _latest(self, kind: str, ids: Sequence[str]) -> dict[str, Any]:
        """The latest version of each of `ids` that has one."""
        if self.first:
            return {}
        rows = self.session.execute(
            select(RecordVersion.record_id, RecordVersion.change, RecordVersion.digest)
            .add_columns(RecordVersion.content)
            .where(RecordVersion.kind == kind, RecordVersion.record_id.in_(ids))
            .order_by(RecordVersion.id)
        )
        return {row.record_id: row for row in rows}

    def observe(
        self, kind: str, records: Iterable[tuple[str, dict[str, Any]]]
    ) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
        """Record a version for each (id, content) that differs from its latest version;
        return (id, previous content, content) for each record updated."""
        batch = list(records)
        replaced = []
        for start in range(0, len(batch), _CHUNK):
            chunk = batch[start : start + _CHUNK]
            latest = self._latest(kind, [record_id for record_id, _ in chunk])
            rows = []
            for record_id, content in chunk:
                new = digest(content)
                before = latest.get(record_id)
                if before is None or before.change == "deleted":
                    change, fields = "created", []
                elif before.digest == new:
                    continue
                elif before.content is None:  # a baseline without content
                    change, fields = "updated", sorted(content)
                else:
                    keys = sorted(set(content) | set(before.content))
                    fields = [k for k in keys if content.get(k) != before.content.get(k)]
                    if not fields:
                        continue
                    change = "updated"
                    replaced.append((record_id, before.content, content))
                if before is not None and before.change != "deleted":
                    self.total -= _token(kind, record_id, before.digest)
                self.total += _token(kind, record_id, new)
                rows.append(self._version(kind, record_id, change, fields, new, content))
            self._write(rows)
        return replaced

    def delete(self, kind: str, ids: Sequence[str]) -> None:
        """Leave a tombstone for each of `ids`, records that exist and are deleted."""
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            latest = self._latest(kind, chunk)
            rows = []
            for record_id in chunk:
                if (before := latest.get(record_id)) is not None:
                    self.total -= _token(kind, record_id, before.digest)
                rows.append(self._version(kind, record_id, "deleted", [], "", None))
            self._write(rows)

    def _version(
        self,
        kind: str,
        record_id: str,
        change: str,
        fields: list[str],
        record_digest: str,
        content: dict[str, Any] | None,
    ) -> dict[str, Any]:
        self.counts[kind][change] += 1
        self.recorded += 1
        if self.keep:
            self.changes.append(Change(kind, record_id, change, fields))
        return {
            "kind": kind,
            "record_id": record_id,
            "release": self.number,
            "change": change,
            "fields": fields,
            "digest": record_digest,
            "content": content,
        }

    def _write(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            insert_rows(self.session, _VERSIONS, rows)

    def finish(self, note: str | None) -> int | None:
        """The new release's number, or None (and no release) when nothing changed."""
        if not self.recorded:
            self.session.execute(delete(Release).where(Release.number == self.number))
            return None
        self.session.execute(
            update(Release)
            .where(Release.number == self.number)
            .values(
                note=note or DEFAULT_NOTE,
                content_hash=f"{self.total % _MODULUS:064x}",
                counts=self.counts,
            )
        )
        return self.number


def has_releases(session: Session) -> bool:
    """Whether any release is recorded."""
    return bool(session.scalar(select(func.count()).select_from(Release)))
