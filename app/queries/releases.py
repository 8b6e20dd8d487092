"""Releases, changes and record versions, as stored by `load` (`app.loading.history`)."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, exists, func, select
from sqlalchemy.orm import Session

from app.models import RecordVersion, Release


def changed_after(kind: str, release: Any) -> Select[str]:
    """The ids of the `kind` records a release after `release` created, updated or deleted."""
    return select(RecordVersion.record_id).where(
        RecordVersion.kind == kind, RecordVersion.release > release
    )


def unchanged_after(kind: str, record_id: Any, release: Any) -> ColumnElement[bool]:
    """Whether no release after `release` changed the `kind` record `record_id`: a probe of
    the record's few versions, so a pinned page stays a seek of the current tables."""
    return ~exists().where(
        RecordVersion.kind == kind,
        RecordVersion.record_id == record_id,
        RecordVersion.release > release,
    )


def in_scope(
    kind: str, record_id: Any, *, pinned: int | None = None, overlay: bool = False
) -> list[ColumnElement[bool]]:
    """What keeps, of these tables, the `kind` records a pinned read takes from them: with
    `pinned`, those no later release changed; with `overlay`, those an overlay answers for."""
    conditions = []
    if pinned is not None:
        conditions.append(unchanged_after(kind, record_id, pinned))
    if overlay:
        conditions.append(record_id.in_(changed_after(kind, 0)))
    return conditions


def list_releases(
    session: Session, *, before: int | None = None, limit: int | None = None
) -> Sequence[Release]:
    """Releases newest first, those before `before` if given, at most `limit`."""
    statement = select(Release).order_by(Release.number.desc()).limit(limit)
    if before is not None:
        statement = statement.where(Release.number < before)
    return session.scalars(statement).all()


def count_releases(session: Session) -> int:
    """How many releases there are."""
    return int(session.scalar(select(func.count()).select_from(Release)) or 0)


def get_release(session: Session, number: int) -> Release | None:
    """One release by number."""
    return session.get(Release, number)


def current_release(session: Session) -> int | None:
    """The number of the latest release; None before the first."""
    number: int | None = session.scalar(select(func.max(Release.number)))
    return number


def list_changes(
    session: Session, *, since: int, until: int | None, after: int, limit: int
) -> Sequence[Row[int, str, str, str, int, list[str]]]:
    """Versions recorded after release `since` (up to `until`), oldest first, after the
    version `after`; one more than `limit` tells whether a next page exists."""
    statement = (
        select(
            RecordVersion.id,
            RecordVersion.kind,
            RecordVersion.record_id,
            RecordVersion.change,
            RecordVersion.release,
            RecordVersion.fields,
        )
        .where(RecordVersion.release > since, RecordVersion.id > after)
        .order_by(RecordVersion.id)
        .limit(limit + 1)
    )
    if until is not None:
        statement = statement.where(RecordVersion.release <= until)
    return session.execute(statement).all()


def list_versions(
    session: Session, kind: str, record_id: str
) -> Sequence[Row[RecordVersion, Release]]:
    """Every version of one record with its release, oldest first."""
    return session.execute(
        select(RecordVersion, Release)
        .join(Release, Release.number == RecordVersion.release)
        .where(RecordVersion.kind == kind, RecordVersion.record_id == record_id)
        .order_by(RecordVersion.id)
    ).all()


def is_deleted(session: Session, kind: str, record_id: str, *, at: int | None = None) -> bool:
    """Whether the record's latest version (up to release `at`) is a tombstone."""
    statement = (
        select(RecordVersion.change)
        .where(RecordVersion.kind == kind, RecordVersion.record_id == record_id)
        .order_by(RecordVersion.id.desc())
        .limit(1)
    )
    if at is not None:
        statement = statement.where(RecordVersion.release <= at)
    return session.scalar(statement) == "deleted"


def latest_versions(session: Session, limit: int) -> Sequence[Row[RecordVersion, Release]]:
    """The `limit` latest versions of any record with their releases, newest first."""
    return session.execute(
        select(RecordVersion, Release)
        .join(Release, Release.number == RecordVersion.release)
        .order_by(RecordVersion.id.desc())
        .limit(limit)
    ).all()
