"""Releases, changes and record versions, as stored by `load` (`app.loading.history`)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    bindparam,
    exists,
    func,
    select,
)
from sqlalchemy.orm import Session, aliased

from app.models import (
    ActorRelation,
    Citation,
    Dispute,
    EventActor,
    EventRelation,
    Figure,
    ReadChange,
    RecordVersion,
    Release,
)


def changed_after(kind: str, release: Any) -> Select[str]:
    """The ids of the `kind` records a release after `release` created, updated or deleted."""
    # The kind compared as an expression, not a column: SQLite would otherwise read every
    # version of the kind by the record index instead of the release's range.
    return select(RecordVersion.record_id).where(
        RecordVersion.release > release, RecordVersion.kind.concat("") == kind
    )


@dataclass(frozen=True)
class Shown:
    """Another record that a `kind` record's JSON shows: the `shows` record of kind `shown`
    wherever `owner` is the record, across the tables `join` links (its name, title or
    publisher, or that it links back)."""

    kind: str
    owner: Any
    shows: Any
    shown: str
    join: tuple[ColumnElement[bool], ...] = ()


def _shown() -> tuple[Shown, ...]:
    cited, figure, dispute = Citation, Figure, Dispute
    link, bond, source = EventRelation, ActorRelation, Citation.source_id
    return (
        Shown("event", EventActor.event_id, EventActor.actor_id, "actor"),
        Shown("event", cited.event_id, source, "source"),
        Shown("event", figure.event_id, source, "source", (cited.figure_id == figure.id,)),
        Shown("event", dispute.event_id, source, "source", (cited.dispute_id == dispute.id,)),
        Shown(
            "event",
            figure.event_id,
            source,
            "source",
            (dispute.figure_id == figure.id, cited.dispute_id == dispute.id),
        ),
        Shown("event", link.subject_id, link.object_id, "event"),
        Shown("event", link.object_id, link.subject_id, "event"),
        Shown("actor", cited.actor_id, source, "source"),
        Shown("actor", bond.subject_id, source, "source", (cited.actor_relation_id == bond.id,)),
        Shown("actor", bond.object_id, source, "source", (cited.actor_relation_id == bond.id,)),
        Shown("actor", bond.subject_id, bond.object_id, "actor"),
        Shown("actor", bond.object_id, bond.subject_id, "actor"),
    )


SHOWN = _shown()


def changed(kind: str, record_id: Any, release: Any) -> ColumnElement[bool]:
    """Whether a release after `release` changed the `kind` record `record_id`: a probe of
    its few versions in the record index. On an overlay, whose versions are the markers of
    the records it answers for (`app.overlay`), `release` 0 asks whether it answers for one:
    a probe per row, so that a page walks its date index and stops after a page."""
    version = aliased(RecordVersion)
    return exists().where(
        version.kind == kind, version.record_id == record_id, version.release > release
    )


def unchanged_after(kind: str, record_id: Any, release: Any) -> ColumnElement[bool]:
    """Whether the `kind` record `record_id` reads now as it did at `release`: no later
    release changed it nor any record its JSON shows (`SHOWN`), as the loads recorded
    (`ReadChange`). One probe of a key per row, so a pinned page stays a seek of the
    current tables."""
    return ~exists().where(
        ReadChange.kind == kind, ReadChange.record_id == record_id, ReadChange.release > release
    )


def reading_otherwise(kind: str, release: Any) -> Select[str]:
    """The ids of the `kind` records that do not read now as they did at `release` (where
    `unchanged_after` is false): a range of an index, where `unchanged_after` probes every
    row it keeps."""
    return select(ReadChange.record_id).where(ReadChange.kind == kind, ReadChange.release > release)


def in_scope(
    kind: str, record_id: Any, *, otherwise: int | None = None, overlay: bool = False
) -> list[ColumnElement[bool]]:
    """What keeps, of these tables, the `kind` records a count takes: with `otherwise`,
    those that read otherwise at that release (`reading_otherwise`: a few index lookups);
    with `overlay`, those an overlay answers for."""
    conditions = []
    if otherwise is not None:
        conditions.append(record_id.in_(reading_otherwise(kind, otherwise)))
    if overlay:
        conditions.append(changed(kind, record_id, 0))
    return conditions


_LATER_COUNTS = select(Release.counts).where(Release.number > bindparam("release"))


def count_changes_after(session: Session, release: int) -> int:
    """How many records the releases after `release` created, updated or deleted, from
    their counts (a few rows)."""
    counts = session.connection().execute(_LATER_COUNTS, {"release": release}).scalars()
    return sum(sum(changes.values()) for kinds in counts for changes in (kinds or {}).values())


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


_STAMP = select(Release.content_hash, Release.created_at).where(
    Release.number == bindparam("number")
)


def get_release_stamp(session: Session, number: int) -> Row[str, datetime] | None:
    """A release's content hash and time, or None if there is no such release: what every
    pinned read asks, so Core on a statement built once, not the ORM."""
    return session.connection().execute(_STAMP, {"number": number}).first()


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
