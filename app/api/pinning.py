"""Reads pinned to a release (`release=N`): which one, where its records are, how it is cached.

A pinned response never changes, so its ETag comes from the release's content hash and the
request, not from the data version that every load moves, and caches may keep it for a year.
"""

import hashlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from fastapi import Request
from sqlalchemy.orm import Session

from app import __version__, queries
from app.api.tombstones import missing
from app.errors import NotFound
from app.overlay import Overlay, Unreadable, overlays
from app.queries.releases import get_release_stamp
from app.schemas import ProblemItem

IMMUTABLE = "public, max-age=31536000, immutable"


def _release_problem(message: str) -> NotFound:
    item = ProblemItem(location="query", name="release", message=message)
    return NotFound(f"query parameter 'release': {message}", errors=[item])


@dataclass(frozen=True)
class Pin:
    """The release a read is pinned to, and the overlay of its records changed since."""

    release: int
    content_hash: str
    created_at: datetime
    overlay: Overlay | None  # None when the release is the latest: the current tables hold it

    @property
    def pinned(self) -> int | None:
        """What query filters take as `pinned`: the release, unless it is the latest."""
        return None if self.overlay is None else self.release

    def overlay_at(self, session: Session) -> Overlay | None:
        """The overlay for what `session` sees, which a load may have moved on since the
        request began (a stream reads each page in a session of its own)."""
        return overlay_of(session, self.release)

    def etag(self, request: Request, *parts: str) -> str:
        """A strong ETag that no later load changes."""
        query = "&".join(f"{k}={v}" for k, v in sorted(request.query_params.multi_items()))
        key = "\n".join([__version__, self.content_hash, request.url.path, query, *parts])
        return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def _latest(session: Session) -> int:
    dataset = queries.get_dataset(session)
    return dataset.release if dataset is not None and dataset.release is not None else 0


def overlay_of(session: Session, release: int) -> Overlay | None:
    """The overlay of `release` for what `session` sees, None when it is the latest; a 404
    naming `release` when its content was never recorded."""
    while True:
        latest = _latest(session)
        if latest == release:
            return None
        try:
            overlay = overlays.get(session, release, latest)
        except Unreadable as error:
            raise _release_problem(str(error)) from None
        # A build gives the session's connection back: if a load committed meanwhile, the
        # session now sees a later release, and needs the overlay that matches it.
        if _latest(session) == latest:
            return overlay


def resolve(session: Session, release: int | None) -> Pin | None:
    """The pin `release=N` asks for; a 404 naming `release` when there is no such release."""
    if release is None:
        return None
    found = get_release_stamp(session, release)
    if found is None:
        raise _release_problem(f"no release {release}; the latest is {_latest(session)}")
    content_hash, created = found
    created = created.astimezone(UTC) if created.tzinfo else created.replace(tzinfo=UTC)
    return Pin(release, content_hash, created, overlay_of(session, release))


_EXISTS = {"event": queries.event_exists, "actor": queries.actor_exists}


def locate(session: Session, pin: Pin | None, kind: str, record_id: str) -> Overlay | None:
    """Where the `kind` record `record_id` is read: the overlay of a pinned release, or (None)
    the current tables; a 410 or 404 when the release it is read at does not hold it."""
    exists = _EXISTS[kind]
    if pin is None or pin.overlay is None:
        if exists(session, record_id):
            return None
        raise missing(session, kind, record_id)
    if exists(session, record_id, pinned=pin.release):
        return None
    with pin.overlay.sessions() as side:
        # Every record the overlay holds that the current tables do not answer for is one
        # it answers for: the others it holds are unchanged since the release.
        if exists(side, record_id):
            return pin.overlay
    raise missing(session, kind, record_id, at=pin.release)


K = TypeVar("K")


def counted(session: Session, pin: Pin | None, count: Callable[..., Counter[K]]) -> Counter[K]:
    """What `count` finds in the data of the release a read is `pin`ned to: the current
    tables' counts, less those of the records that read otherwise at the release, plus the
    overlay's, which answers for exactly those. Each part reads what changed or every row
    once, never a probe of each row's versions."""
    found = count(session)
    if pin is None or pin.overlay is None:
        return found
    found.subtract(count(session, otherwise=pin.release))
    with pin.overlay.sessions() as side:
        found.update(count(side, overlay=True))
    return +found  # without the values no record of the release holds


@contextmanager
def overlay_session(overlay: Overlay | None) -> Iterator[Session | None]:
    """A session on `overlay`, or None when there is none to read."""
    if overlay is None:
        yield None
        return
    with overlay.sessions() as session:
        yield session
