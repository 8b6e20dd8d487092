"""What each release changed of how records read (`models.ReadChange`), for pinned reads.

A record reads at release N as it does now unless a later release changed it or a record its
JSON shows (`app.queries.releases.SHOWN`). Finding that at read time took a probe of the
record's versions and of every record it shows, per row; the load that makes a release
writes it instead, one row per record, so that a read probes one key.
"""

from collections.abc import Iterable, Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import Base
from app.loading.copy import insert_rows
from app.loading.history import KINDS
from app.models import ReadChange, RecordVersion, Release
from app.queries.releases import SHOWN

_CHUNK = 2000  # ids bound in one statement
_TABLE = Base.metadata.tables[ReadChange.__tablename__]


def chunks(ids: Iterable[str]) -> Iterator[list[str]]:
    """`ids` sorted, a statement's worth at a time."""
    wanted = sorted(ids)
    for start in range(0, len(wanted), _CHUNK):
        yield wanted[start : start + _CHUNK]


def record(session: Session) -> None:
    """Write what the releases after the last one recorded here changed: a load's own, or
    every release of a history restored or migrated. The first release changes nothing a
    pinned read could ask about, so it has no rows, nor does a database of one release."""
    last = session.scalar(select(func.max(ReadChange.release))) or 1
    later = select(Release.number).where(Release.number > last).order_by(Release.number)
    for release in session.scalars(later).all():
        _record(session, release)


def _record(session: Session, release: int) -> None:
    """The records `release` created, updated or deleted, and those whose JSON shows one
    of them as the current tables link them."""
    changed: dict[str, set[str]] = {kind: set() for kind in KINDS}
    versions = select(RecordVersion.kind, RecordVersion.record_id)
    for kind, record_id in session.execute(versions.where(RecordVersion.release == release)):
        changed[kind].add(record_id)
    reading = {kind: set(ids) for kind, ids in changed.items()}
    for shown in SHOWN:
        for chunk in chunks(changed[shown.shown]):
            showing = select(shown.owner).where(*shown.join, shown.shows.in_(chunk))
            reading[shown.kind].update(o for o in session.scalars(showing) if o is not None)
    rows = [
        {"kind": kind, "record_id": record_id, "release": release}
        for kind, ids in reading.items()
        for record_id in sorted(ids)
    ]
    insert_rows(session, _TABLE, rows)
