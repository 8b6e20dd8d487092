"""The records a past release held that later releases changed, in a small database of their own.

A read pinned to release N serves every record no later release touched from the current
tables, and the others from this overlay: their versions at N, written by the ordinary
loader into a SQLite file, so the same statements answer both and the pages merge in key
order. It holds those records plus every actor and source of N (what they cite and name),
is built on first use from `record_version` and kept per database, N and latest release:
its size follows what changed after N, never the whole data set.
"""

import atexit
import shutil
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine, bindparam, delete, insert, select, tuple_
from sqlalchemy.orm import Session, sessionmaker

from app.db import make_engine, make_sessionmaker
from app.loading.loader import load
from app.migrate import upgrade
from app.models import RecordVersion, Release

_COLLECTIONS = {"source": "sources", "actor": "actors", "event": "events"}
_KEPT = 8  # overlays held at once; each is a file of what changed after its release


class Unreadable(Exception):  # noqa: N818  (a state of the data, named as such)
    """Release N needs a version recorded without its content (a baseline that predates history)."""


@dataclass(frozen=True)
class Overlay:
    """The overlay of one release for one state of the history; `sessions` opens it."""

    release: int
    sessions: sessionmaker[Session]
    engine: Engine
    directory: Path

    def close(self) -> None:
        self.engine.dispose()
        shutil.rmtree(self.directory, ignore_errors=True)


@dataclass(frozen=True)
class _Version:
    release: int
    change: str
    content: dict[str, Any] | None


def _last_versions(rows: Iterable[Any]) -> dict[tuple[str, str], _Version]:
    """The last of each record's versions in `rows` (oldest first)."""
    return {(r.kind, r.record_id): _Version(r.release, r.change, r.content) for r in rows}


_FIELDS = (
    RecordVersion.kind,
    RecordVersion.record_id,
    RecordVersion.release,
    RecordVersion.change,
    RecordVersion.content,
)


_LATER = (
    select(RecordVersion.kind, RecordVersion.record_id)
    .where(RecordVersion.release > bindparam("release"))
    .distinct()
)


def _versions_at(session: Session, release: int) -> dict[tuple[str, str], _Version]:
    """The version at `release` of every record a later release changed, and of every actor
    and source (which those records cite and name)."""
    later = _LATER.params(release=release)
    changed = session.execute(
        select(*_FIELDS)
        .where(
            RecordVersion.release <= release,
            tuple_(RecordVersion.kind, RecordVersion.record_id).in_(later),
        )
        .order_by(RecordVersion.id)
    )
    named = session.execute(
        select(*_FIELDS)
        .where(RecordVersion.release <= release, RecordVersion.kind.in_(["actor", "source"]))
        .order_by(RecordVersion.id)
    )
    return _last_versions(named) | _last_versions(changed)


def _targets(session: Session, release: int, ids: set[str]) -> dict[tuple[str, str], _Version]:
    """The versions at `release` of the events `ids`, which overlay events point at."""
    rows = session.execute(
        select(*_FIELDS)
        .where(
            RecordVersion.kind == "event",
            RecordVersion.release <= release,
            RecordVersion.record_id.in_(sorted(ids)),
        )
        .order_by(RecordVersion.id)
    )
    return _last_versions(rows)


def _content(key: tuple[str, str], version: _Version, release: int) -> dict[str, Any]:
    if version.content is None:
        raise Unreadable(
            f"release {release} cannot be read: {key[0]} {key[1]!r} was recorded then "
            "by its hash alone, before record history kept content"
        )
    return version.content


def _data_file(session: Session, release: int) -> tuple[dict[str, list[Any]], list[Any]]:
    """The overlay as one data file, and the markers of the records it answers for.

    Events that overlay events point at are added without relations of their own, only so
    the references resolve; they are answered for from the current tables.
    """
    versions = _versions_at(session, release)
    later = {(kind, record_id) for kind, record_id in session.execute(_LATER, {"release": release})}
    data: dict[str, list[Any]] = {name: [] for name in _COLLECTIONS.values()}
    markers = []
    for key, version in versions.items():
        if version.change == "deleted":
            continue
        data[_COLLECTIONS[key[0]]].append(_content(key, version, release))
        if key in later:
            markers.append({"kind": key[0], "record_id": key[1], "release": version.release})
    present = {event["id"] for event in data["events"]}
    wanted = {r["event"] for event in data["events"] for r in event.get("relations", [])}
    for key, version in _targets(session, release, wanted - present).items():
        if version.change != "deleted":
            data["events"].append(_content(key, version, release) | {"relations": []})
    return data, markers


@cache
def _schema() -> Path:
    """An empty SQLite database at the latest schema, migrated once and copied per overlay:
    the migrations take longer than loading a few hundred records."""
    path = Path(tempfile.mkdtemp(prefix="overlay-schema-")) / "schema.sqlite3"
    upgrade(f"sqlite:///{path}")
    atexit.register(shutil.rmtree, path.parent, ignore_errors=True)
    return path


def build(session: Session, release: int) -> Overlay:
    """The overlay of `release`, as the history `session` sees it; `session` is closed once
    the history is read, before the (longer) load into the overlay."""
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
    directory = Path(tempfile.mkdtemp(prefix=f"release-{release}-"))
    try:
        (directory / "records.json").write_bytes(orjson.dumps(data))
        shutil.copyfile(_schema(), directory / "overlay.sqlite3")
        url = f"sqlite:///{directory / 'overlay.sqlite3'}"
        engine = make_engine(url)
        with make_sessionmaker(engine)() as writing, writing.begin():
            load(writing, [directory / "records.json"])
            # Only the records changed after `release` are answered for; each keeps the
            # release of its version, so `changed_since` filters the overlay as it does
            # the current tables.
            writing.execute(delete(RecordVersion))
            writing.execute(delete(Release))
            writing.execute(insert(Release), releases)
            for start in range(0, len(markers), 2000):
                rows = [
                    m | {"change": "updated", "fields": [], "digest": "", "content": None}
                    for m in markers[start : start + 2000]
                ]
                writing.execute(insert(RecordVersion), rows)
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    return Overlay(release, make_sessionmaker(engine), engine, directory)


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
            if (found := self._entries.get(key)) is not None:
                self._entries.move_to_end(key)
            return found

    def get(self, session: Session, release: int, latest: int) -> Overlay:
        """The overlay of `release` while `latest` is the latest release.

        Building one closes `session` first and reads the history in a session of its own:
        the request's connection (a SQLite reader's pool holds one) is not held for the
        seconds a build takes, and the history up to `latest` never changes. The caller
        reads the latest release again afterwards (`app.api.pinning.overlay_of`).
        """
        key = (session.get_bind().engine.url.render_as_string(), release, latest)
        if (found := self._kept(key)) is not None:
            return found
        bind = session.get_bind()
        session.close()
        with self._building:
            if (found := self._kept(key)) is not None:
                return found
            with Session(bind) as reading:
                found = build(reading, release)
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
