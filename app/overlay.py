"""The records a past release held that later releases changed, in a small database of their own.

A read pinned to release N serves from the current tables every record that reads as it
did at N: no later release changed it nor anything its JSON shows (an actor's name, a
source, a linked event; `app.queries.releases.SHOWN`). The others come from this overlay:
their versions at N, written by the ordinary loader into a SQLite file, so the same
statements answer both and the pages merge in key order. It holds those records plus every
actor and source of N (what they cite and name), is built from `record_version` once per
machine and state of the history (`STORE`): by the load that makes a release, for the
releases readers most likely ask for (`prepare`), or else by the first read. Its size
follows what changed after N, never the whole data set."""

import atexit
import fcntl
import hashlib
import os
import shutil
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import URL, Engine, create_engine, delete, func, insert, make_url, select
from sqlalchemy.orm import Session, sessionmaker

from app.db import make_engine, make_sessionmaker
from app.loading.loader import load
from app.loading.read_changes import chunks
from app.migrate import upgrade
from app.models import EventRelation, RecordVersion, Release
from app.queries.releases import reading_otherwise

_COLLECTIONS = {"source": "sources", "actor": "actors", "event": "events"}
_KEPT = 8  # overlays held open at once; each is a file of what changed after its release
_CHUNK = 2000  # markers written in one statement
# Overlays, one file per database, state of its history and release, shared by the
# processes of a machine; a file is never changed once written. Writing one of the
# latest state removes those of the earlier states (`_remove_other_states`).
STORE = Path(tempfile.gettempdir()) / "sahel-timeline-overlays"


class Unreadable(Exception):  # noqa: N818  (a state of the data, named as such)
    """Release N needs a version recorded without its content (a baseline that predates history)."""


@dataclass(frozen=True)
class Overlay:
    """The overlay of one release for one state of the history; `sessions` opens it."""

    release: int
    sessions: sessionmaker[Session]
    engine: Engine
    path: Path

    def close(self) -> None:
        self.engine.dispose()


@dataclass(frozen=True)
class _Version:
    release: int
    change: str
    content: dict[str, Any] | None


def _last_versions(rows: Iterable[Any]) -> dict[tuple[str, str], _Version]:
    """The last of each record's versions in `rows` (each record's oldest first)."""
    return {(r.kind, r.record_id): _Version(r.release, r.change, r.content) for r in rows}


_FIELDS = (
    RecordVersion.kind,
    RecordVersion.record_id,
    RecordVersion.release,
    RecordVersion.change,
    RecordVersion.content,
)


def _answered(session: Session, release: int) -> dict[str, set[str]]:
    """The records the overlay of `release` answers for, by kind: those that read otherwise
    than at `release` (`reading_otherwise`), changed by a later release or showing a record
    that was, which the current tables would show with what the later release made of it."""
    return {kind: set(session.scalars(reading_otherwise(kind, release))) for kind in _COLLECTIONS}


def _versions_at(
    session: Session, release: int, kind: str, ids: Iterable[str] | None = None
) -> dict[tuple[str, str], _Version]:
    """The version at `release` of the `kind` records `ids` (of every one when None), read
    in the order of the `(kind, record_id, id)` index: the history is mostly content."""
    statement = (
        select(*_FIELDS)
        .where(RecordVersion.kind == kind, RecordVersion.release <= release)
        .order_by(RecordVersion.kind, RecordVersion.record_id, RecordVersion.id)
    )
    if ids is None:
        return _last_versions(session.execute(statement))
    found: dict[tuple[str, str], _Version] = {}
    for chunk in chunks(ids):
        found |= _last_versions(
            session.execute(statement.where(RecordVersion.record_id.in_(chunk)))
        )
    return found


def _content(key: tuple[str, str], version: _Version, release: int) -> dict[str, Any]:
    if version.content is None:
        raise Unreadable(
            f"release {release} cannot be read: {key[0]} {key[1]!r} was recorded then "
            "by its hash alone, before record history kept content"
        )
    return version.content


def _linking(session: Session, ids: set[str]) -> set[str]:
    """The events whose relations point at one of the events `ids`."""
    found: set[str] = set()
    for chunk in chunks(ids):
        linked = select(EventRelation.subject_id).where(EventRelation.object_id.in_(chunk))
        found.update(session.scalars(linked))
    return found


def _data_file(session: Session, release: int) -> tuple[dict[str, list[Any]], list[Any]]:
    """The overlay as one data file, and the markers of the records it answers for.

    Every actor and source of `release` is in it (events name and cite them). The events
    that answered events link to, or that link to them, are added only so that both ends
    of those links resolve, with no relations but those: the current tables answer for them.
    """
    answered = _answered(session, release)
    versions = _versions_at(session, release, "actor") | _versions_at(session, release, "source")
    versions |= _versions_at(session, release, "event", answered["event"])
    data: dict[str, list[Any]] = {name: [] for name in _COLLECTIONS.values()}
    markers = []
    for key, version in versions.items():
        if version.change == "deleted":
            continue
        data[_COLLECTIONS[key[0]]].append(_content(key, version, release))
        if key[1] in answered[key[0]]:
            markers.append({"kind": key[0], "record_id": key[1], "release": version.release})
    present = {event["id"] for event in data["events"]}
    linked = {r["event"] for event in data["events"] for r in event.get("relations", [])}
    others = (linked | _linking(session, present)) - present
    for key, version in _versions_at(session, release, "event", others).items():
        if version.change != "deleted":
            content = _content(key, version, release)
            relations = [r for r in content.get("relations", []) if r["event"] in present]
            data["events"].append(content | {"relations": relations})
    return data, markers


@cache
def _schema() -> Path:
    """An empty SQLite database at the latest schema, migrated once and copied per overlay:
    the migrations take longer than loading a few hundred records."""
    path = Path(tempfile.mkdtemp(prefix="overlay-schema-")) / "schema.sqlite3"
    upgrade(f"sqlite:///{path}")
    atexit.register(shutil.rmtree, path.parent, ignore_errors=True)
    return path


def build(session: Session, release: int, path: Path) -> None:
    """Write the overlay of `release`, as the history `session` sees it, to `path`;
    `session` is closed once the history is read, before the (longer) load."""
    data, markers = _data_file(session, release)
    releases = [
        dict(row._mapping)
        for row in session.execute(
            select(
                Release.number,
                Release.created_at,
                Release.note,
                Release.content_hash,
                Release.counts,
            ).where(Release.number <= release)
        )
    ]
    session.close()
    directory = Path(tempfile.mkdtemp(prefix=f"release-{release}-", dir=path.parent))
    try:
        (directory / "records.json").write_bytes(orjson.dumps(data))
        shutil.copyfile(_schema(), directory / "overlay.sqlite3")
        engine = make_engine(f"sqlite:///{directory / 'overlay.sqlite3'}")
        with make_sessionmaker(engine)() as writing, writing.begin():
            load(writing, [directory / "records.json"], facets=False)
            # Only the records changed after `release` are answered for; each keeps the
            # release of its version, so `changed_since` filters the overlay as it does
            # the current tables.
            writing.execute(delete(RecordVersion))
            writing.execute(delete(Release))
            writing.execute(insert(Release), releases)
            for start in range(0, len(markers), _CHUNK):
                rows = [
                    m | {"change": "updated", "fields": [], "digest": "", "content": None}
                    for m in markers[start : start + _CHUNK]
                ]
                writing.execute(insert(RecordVersion), rows)
        engine.dispose()
        os.replace(directory / "overlay.sqlite3", path)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def _state(session: Session, latest: int) -> str:
    """What names one state of a database's history: every release up to `latest` (number,
    time, content hash) and the last version recorded."""
    releases = session.execute(
        select(Release.number, Release.created_at, Release.content_hash)
        .where(Release.number <= latest)
        .order_by(Release.number)
    )
    last = session.scalar(select(func.max(RecordVersion.id)))
    described = "\n".join(f"{n}\0{at.isoformat()}\0{h}" for n, at, h in releases)
    return hashlib.sha256(f"{described}\n{last}".encode()).hexdigest()[:24]


def _database(url: URL) -> str:
    """What names a database in `STORE`, whichever engine reaches it: a SQLite file by its
    absolute path (the API opens it as a read-only URI, a load by its plain URL), a server
    database by its URL."""
    name = url.render_as_string()
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        name = "sqlite:" + str(Path(str(url.database).removeprefix("file:")).resolve())
    return hashlib.sha256(name.encode()).hexdigest()[:16]


def stored(url: str) -> list[Path]:
    """The overlay files of the database at `url` in `STORE`, of every state of its history."""
    return sorted(STORE.glob(f"{_database(make_url(url))}-*.sqlite3"))


def _write(address: URL, release: int, path: Path) -> None:
    """Build the overlay of `release` at `path` unless a process of the machine has, one
    build at a time under a file lock; then, if its state is still the latest, remove the
    files of the earlier ones."""
    STORE.mkdir(parents=True, exist_ok=True)
    with path.with_suffix(".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():
            return
        # An engine of its own: a build's reads are not a request's statements, which time out.
        engine = create_engine(address)
        try:
            with Session(engine) as reading:
                build(reading, release, path)
            with Session(engine) as reading:
                latest = reading.scalar(select(func.max(Release.number))) or 0
                current = _state(reading, latest)
        finally:
            engine.dispose()
    database, state, _ = path.name.split("-", 2)
    if state == current:
        _remove_other_states(database, state)


def _remove_other_states(database: str, state: str) -> None:
    """Remove the files (overlays, their locks and journals) of `database`'s other states.

    No new read asks for them once a later release exists. A process that has one open
    reads on (Linux keeps an unlinked file while it is open) and, for a new connection,
    builds it again (`_Overlays._kept`). A lock removed while held lets a second build of
    that file start, which writes the same bytes and replaces the file atomically.
    """
    for found in STORE.glob(f"{database}-*"):
        if not found.name.startswith(f"{database}-{state}-"):
            found.unlink(missing_ok=True)


def prepare(url: str, latest: int) -> list[int]:
    """Write, after a load made release `latest`, the overlays pinned reads most likely ask
    for, so that none of them pays for a build: the one before `latest` (what a reader
    pinned to the latest release until this load) and those that reads asked for in the
    state the load replaced (at most `_KEPT`, the latest ones). The releases written; one
    whose content was never recorded (`Unreadable`) is left out."""
    asked = {int(path.stem.rsplit("-", 1)[1]) for path in stored(url)}
    wanted = sorted(r for r in asked | {latest - 1} if 0 < r < latest)[-_KEPT:]
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            state = _state(session, latest)
        database = _database(engine.url)
        written = []
        for release in wanted:
            with suppress(Unreadable):
                _write(engine.url, release, STORE / f"{database}-{state}-{release}.sqlite3")
                written.append(release)
        return written
    finally:
        engine.dispose()


def _open(release: int, path: Path) -> Overlay:
    engine = make_engine(f"sqlite:///{path}")
    return Overlay(release, make_sessionmaker(engine), engine, path)


class _Overlays:
    """Overlays by (database, release, latest release), least recently used out.

    The latest release is part of the key: a load that commits while readers page makes a
    new overlay for the new state, and each request reads the one that matches its snapshot.
    """

    def __init__(self, kept: int) -> None:
        self.kept = kept
        self._entries: OrderedDict[tuple[str, int, int], Overlay] = OrderedDict()
        self._lock = threading.Lock()  # the entries
        self._building = threading.Lock()  # one build at a time: each is a load

    def _kept(self, key: tuple[str, int, int]) -> Overlay | None:
        with self._lock:
            if (found := self._entries.get(key)) is None:
                return None
            if not found.path.exists():
                # Removed with its state (`_remove_other_states`): a new connection to the
                # path would create an empty database there.
                del self._entries[key]
                found.close()
                return None
            self._entries.move_to_end(key)
            return found

    def get(self, session: Session, release: int, latest: int) -> Overlay:
        """The overlay of `release` while `latest` is the latest release.

        Built once per machine for each state of the history (`STORE`), by the load that
        made it (`prepare`) or by the first read, and opened by every other process and
        restart: a build is a load of what changed after `release`. Building one closes
        `session` first and reads the history in a session of its own: the request's
        connection (a SQLite reader's pool holds one) is not held for the seconds a build
        takes, and the history up to `latest` never changes. The caller reads the latest
        release again afterwards (`app.api.pinning.overlay_of`).
        """
        address = session.get_bind().engine.url
        key = (address.render_as_string(), release, latest)
        if (found := self._kept(key)) is not None:
            return found
        database = _database(address)
        state = _state(session, latest)
        path = STORE / f"{database}-{state}-{release}.sqlite3"
        session.close()
        with self._building:
            if (found := self._kept(key)) is not None:
                return found
            _write(address, release, path)
            found = _open(release, path)
            with self._lock:
                self._entries[key] = found
                while len(self._entries) > self.kept:
                    self._entries.popitem(last=False)[1].close()
            return found

    def clear(self) -> None:
        with self._lock:
            for overlay in self._entries.values():
                overlay.close()
            self._entries.clear()


overlays = _Overlays(_KEPT)
atexit.register(overlays.clear)
