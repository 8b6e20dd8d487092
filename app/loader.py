"""Data files to database, streamed: validated and written a batch at a time, in one transaction.

Memory stays flat however many records the files hold, and a bad file still changes nothing:
the first problem stops the writing, the rest of the files are still checked so that every
problem is listed (naming file, record and field), and the caller rolls back. Rows that point
at a record not seen yet (an event relation to a later event, an event citing a source of a
later file) are held back and written at the end, once every id is known. The caller owns
the transaction; nothing here commits.
"""

import hashlib
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import JSON, Index, Table, bindparam, delete, insert, select, text, update
from sqlalchemy.orm import Session

from app import dates, search
from app.datafile import COLLECTIONS, FileError, records
from app.db import Base
from app.models import Dataset
from app.schemas import (
    ActorIn,
    ActorRelationIn,
    CitationIn,
    DisputeIn,
    EventIn,
    FigureIn,
    LocalizedIn,
    SourceIn,
)
from app.text import fold

BATCH = 2000  # records written per round trip
MAX_PROBLEMS = 100  # a broken million-record file should not print a million lines
_ID_CHUNK = 5000  # ids per IN list when asking the database which exist

_MODELS: dict[str, type[SourceIn] | type[ActorIn] | type[EventIn]] = {
    "sources": SourceIn,
    "actors": ActorIn,
    "events": EventIn,
}
_TABLES = Base.metadata.tables
_SOURCE, _ACTOR, _EVENT = _TABLES["source"], _TABLES["actor"], _TABLES["event"]
_CITATION, _FIGURE, _DISPUTE = _TABLES["citation"], _TABLES["figure"], _TABLES["dispute"]
_EVENT_ACTOR, _EVENT_TAG = _TABLES["event_actor"], _TABLES["event_tag"]
_EVENT_RELATION, _ACTOR_RELATION = _TABLES["event_relation"], _TABLES["actor_relation"]
# Tables that grow with the events, whose indexes a first load builds at the end.
_DEFERRED = (_EVENT, _EVENT_ACTOR, _EVENT_TAG, _EVENT_RELATION, _CITATION, _FIGURE, _DISPUTE)
# Rows of one executemany need the same keys; a citation sets exactly one of these.
_NO_OWNER = dict.fromkeys(["event_id", "figure_id", "dispute_id", "actor_id", "actor_relation_id"])


class LoadError(Exception):
    """Why a set of data files cannot be loaded; each line names file, record and field."""

    def __init__(self, problems: Sequence[str]) -> None:
        if len(problems) > MAX_PROBLEMS:
            problems = [*problems[:MAX_PROBLEMS], f"... and {len(problems) - MAX_PROBLEMS} more"]
        super().__init__("\n".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class LoadSummary:
    """How many records of each kind a load read, and how many of them changed."""

    sources: int
    actors: int
    events: int
    changed: int


Record = SourceIn | ActorIn | EventIn


def _validated(paths: Sequence[Path], problems: list[str]) -> Iterator[tuple[str, str, Record]]:
    """(collection, record name, record) for every valid record; the rest go to `problems`."""
    seen: dict[str, dict[str, Path]] = {collection: {} for collection in COLLECTIONS}
    for path in paths:
        try:
            for collection, index, raw in records(path):
                if index < 0:
                    if collection != "$schema":
                        problems.append(
                            f"{path}: file: {collection}: Extra inputs are not permitted"
                        )
                    elif not isinstance(raw, str):
                        problems.append(f"{path}: file: $schema: Input should be a valid string")
                    continue
                record_id = raw.get("id") if isinstance(raw, dict) else None
                name = f"{collection}[{index}]" + (f" {record_id!r}" if record_id else "")
                try:
                    record = _MODELS[collection].model_validate(raw)
                except ValidationError as exc:
                    for error in exc.errors():
                        where = ".".join(str(part) for part in error["loc"]) or "(record)"
                        problems.append(f"{path}: {name}: {where}: {error['msg']}")
                    continue
                if (first := seen[collection].get(record.id)) is not None:
                    problems.append(f"{path}: {name}: id: also defined in {first}")
                    continue
                seen[collection][record.id] = path
                yield collection, f"{path}: {name}", record
        except FileError as exc:
            problems.append(f"{path}: {exc}")


def validate(paths: Sequence[Path]) -> None:
    """Check files without a database: syntax, fields and duplicate ids (not references)."""
    problems: list[str] = []
    for _ in _validated(paths, problems):
        pass
    if problems:
        raise LoadError(problems)


def _digest(record: BaseModel) -> str:
    return hashlib.sha256(record.model_dump_json().encode()).hexdigest()


def _localized(name: str, text: LocalizedIn) -> dict[str, str]:
    """`{name}_en`, `{name}_nl` and `{name}_fr` column values for a localized text."""
    return {f"{name}_en": text.en, f"{name}_nl": text.nl, f"{name}_fr": text.fr}


def _source_columns(record: SourceIn) -> dict[str, Any]:
    return record.model_dump(include={"id", "title", "publisher", "published", "language", "url"})


def _actor_columns(record: ActorIn) -> dict[str, Any]:
    name, description = record.name, record.description
    words = [name.en, name.nl, name.fr, *record.aliases, description.en, description.nl]
    return {
        "id": record.id,
        "kind": record.kind.value,
        **_localized("name", name),
        **_localized("description", description),
        "aliases": list(record.aliases),
        "country": record.country,
        "wikidata": record.wikidata,
        "search_text": fold(" ".join([*words, description.fr])),
    }


def _event_columns(record: EventIn) -> dict[str, Any]:
    location = record.location
    title, summary = record.title, record.summary
    words = [title.en, title.nl, title.fr, summary.en, summary.nl, summary.fr]
    return {
        "id": record.id,
        "type": record.type.value,
        **_localized("title", title),
        **_localized("summary", summary),
        "start_date": record.start,
        "end_date": record.end,
        "earliest_date": dates.bounds(record.start)[0],
        "latest_date": dates.bounds(record.end or record.start)[1],
        "place": location.place if location else None,
        "country": location.country if location else None,
        "latitude": location.latitude if location else None,
        "longitude": location.longitude if location else None,
        "importance": record.importance,
        "disputed": bool(record.disputes) or any(f.disputes for f in record.figures),
        "search_text": fold(" ".join(words + ([location.place] if location else []))),
    }


@dataclass
class _Link:
    """A row that points at another record by id, and where the data file says so."""

    table: Table
    row: dict[str, Any]
    kind: str
    target: str
    where: str


@dataclass
class _Writer:
    """Buffers valid records and writes them a batch at a time, parents before children."""

    session: Session
    known: dict[str, set[str]]
    buffers: dict[str, list[tuple[str, Any]]] = field(
        default_factory=lambda: {collection: [] for collection in COLLECTIONS}
    )
    pending: list[_Link] = field(default_factory=list)
    relations: list[tuple[str, str, int, ActorRelationIn]] = field(default_factory=list)
    links: dict[Table, list[dict[str, Any]]] = field(default_factory=dict)
    changed: int = 0
    deferred: list[Index] = field(default_factory=list)
    reindex: list[Callable[[], None]] = field(default_factory=list)

    @classmethod
    def on(cls, session: Session) -> "_Writer":
        """A writer that knows the sources and actors already stored (a few thousand ids).

        Into an empty event table, the secondary indexes of the event tables are dropped
        and built again at the end (in the same transaction): one sort instead of a
        million random index inserts.
        """
        known = {
            "source": set(session.scalars(select(_SOURCE.c.id))),
            "actor": set(session.scalars(select(_ACTOR.c.id))),
            "event": set(),
        }
        writer = cls(session, known)
        if session.execute(select(_EVENT.c.id).limit(1)).first() is None:
            writer.deferred = [index for table in _DEFERRED for index in table.indexes]
            for index in writer.deferred:
                index.drop(session.connection())
            writer.reindex.append(search.suspend(session, "event"))
        return writer

    def add(self, collection: str, name: str, record: Record) -> None:
        buffer = self.buffers[collection]
        buffer.append((name, record))
        if len(buffer) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        self._write(self.buffers)
        self.buffers = {collection: [] for collection in COLLECTIONS}

    def _write(self, buffers: dict[str, list[tuple[str, Any]]]) -> None:
        """Sources, then actors, then events, so that references resolve."""
        self._store(_SOURCE, buffers["sources"], _source_columns, [])
        for name, record in self._store(
            _ACTOR,
            buffers["actors"],
            _actor_columns,
            [_CITATION.c.actor_id, _ACTOR_RELATION.c.subject_id],
        ):
            self._actor_children(name, record)
        self._write_links()
        for name, record in self._store(
            _EVENT,
            buffers["events"],
            _event_columns,
            [
                _EVENT_ACTOR.c.event_id,
                _EVENT_TAG.c.event_id,
                _FIGURE.c.event_id,
                _DISPUTE.c.event_id,
                _CITATION.c.event_id,
                _EVENT_RELATION.c.subject_id,
            ],
        ):
            self._event_children(name, record)
        self._write_links()

    def _store(
        self,
        table: Table,
        batch: list[tuple[str, Any]],
        columns: Any,
        children: Sequence[Any],
    ) -> list[tuple[str, Any]]:
        """Insert new and update changed records; return those whose children must be written.

        An unchanged record (same content hash) is not touched. A changed one keeps its row,
        so relations from other records keep pointing at it, and loses its children.
        """
        if not batch:
            return []
        digests = {record.id: _digest(record) for _, record in batch}
        self.known[table.name].update(digests)
        rows = self.session.execute(
            select(table.c.id, table.c.content_hash).where(table.c.id.in_(list(digests)))
        )
        stored = {row.id: row.content_hash for row in rows}
        changed = [(name, r) for name, r in batch if stored.get(r.id) != digests[r.id]]
        if not changed:
            return []
        self.changed += len(changed)
        fresh: list[dict[str, Any]] = []
        updated: list[dict[str, Any]] = []
        for _, record in changed:
            row = columns(record) | {"content_hash": digests[record.id]}
            (updated if record.id in stored else fresh).append(row)
        if updated:
            ids = [row["id"] for row in updated]
            for column in children:
                self.session.execute(delete(column.table).where(column.in_(ids)))
            statement = update(table).where(table.c.id == bindparam("key"))
            self.session.execute(statement, [row | {"key": row["id"]} for row in updated])
        if fresh:
            self._insert(table, fresh)
        return changed

    def _link(self, table: Table, row: dict[str, Any], kind: str, target: str, where: str) -> None:
        """Write `row` with the batch if its target exists, else hold it back to the end."""
        if kind != "event" and target in self.known[kind]:
            self.links.setdefault(table, []).append(row)
        else:
            self.pending.append(_Link(table, row, kind, target, where))

    def _insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        """INSERT `rows`, all with the same keys.

        Straight to the driver's executemany where no column needs SQLAlchemy's type
        processing: its per-row parameter handling costs more than SQLite's insert.
        """
        if any(isinstance(column.type, JSON) for column in table.columns):
            self.session.execute(insert(table), rows)
            return
        connection = self.session.connection()
        mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        names = list(rows[0])
        marks = ", ".join([mark] * len(names))
        statement = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})"
        connection.exec_driver_sql(statement, [tuple(row[n] for n in names) for row in rows])

    def _write_links(self) -> None:
        for table, rows in self.links.items():
            if rows:
                self._insert(table, rows)
        self.links.clear()

    def _cite(self, owner: dict[str, Any], citations: Sequence[CitationIn], where: str) -> None:
        for i, c in enumerate(citations):
            row = {"position": i, "source_id": c.source, "quote": c.quote, **_NO_OWNER, **owner}
            self._link(_CITATION, row, "source", c.source, f"{where}citations[{i}].source")

    def _insert_returning_id(self, table: Table, row: dict[str, Any]) -> int:
        key: int = self.session.execute(insert(table).returning(table.c.id), row).scalar_one()
        return key

    def _disputes(self, owner: dict[str, Any], disputes: Sequence[DisputeIn], where: str) -> None:
        for i, d in enumerate(disputes):
            row = {"position": i, "note": d.note, "event_id": None, "figure_id": None, **owner}
            key = self._insert_returning_id(_DISPUTE, row)
            self._cite({"dispute_id": key}, d.citations, f"{where}disputes[{i}].")

    def _figures(self, event_id: str, figures: Sequence[FigureIn], where: str) -> None:
        for i, f in enumerate(figures):
            row = {
                "position": i,
                "event_id": event_id,
                "measure": f.measure,
                "value": f.value,
                "qualifier": f.qualifier.value,
                "unit": f.unit,
                "as_of": f.as_of,
                **_localized("description", f.description),
            }
            key = self._insert_returning_id(_FIGURE, row)
            self._cite({"figure_id": key}, f.citations, f"{where}figures[{i}].")
            self._disputes({"figure_id": key}, f.disputes, f"{where}figures[{i}].")

    def _actor_children(self, name: str, record: ActorIn) -> None:
        where = f"{name}: "
        self._cite({"actor_id": record.id}, record.citations, where)
        # Relations may point at any actor of the files, and carry citations of their own.
        self.relations.extend(
            (f"{where}relations[{i}].", record.id, i, r) for i, r in enumerate(record.relations)
        )

    def _event_children(self, name: str, record: EventIn) -> None:
        where = f"{name}: "
        for i, p in enumerate(record.actors):
            row = {"event_id": record.id, "actor_id": p.actor, "role": p.role.value, "position": i}
            self._link(_EVENT_ACTOR, row, "actor", p.actor, f"{where}actors[{i}].actor")
        tags = [{"event_id": record.id, "tag": tag} for tag in record.tags]
        self.links.setdefault(_EVENT_TAG, []).extend(tags)
        self._cite({"event_id": record.id}, record.citations, where)
        self._figures(record.id, record.figures, where)
        self._disputes({"event_id": record.id}, record.disputes, where)
        for i, r in enumerate(record.relations):
            row = {
                "position": i,
                "subject_id": record.id,
                "type": r.type.value,
                "object_id": r.event,
            }
            self._link(_EVENT_RELATION, row, "event", r.event, f"{where}relations[{i}].event")

    def _stored(self, kind: str, ids: Iterable[str]) -> set[str]:
        """Which of `ids` the database already holds."""
        table = _TABLES[kind]
        wanted, found = list(ids), set[str]()
        for start in range(0, len(wanted), _ID_CHUNK):
            chunk = wanted[start : start + _ID_CHUNK]
            found.update(self.session.scalars(select(table.c.id).where(table.c.id.in_(chunk))))
        return found

    def finish(self) -> list[str]:
        """Write what is buffered and held back; or the references that resolve nowhere."""
        self._flush()
        wanted = [(link.kind, link.target, f"{link.where}") for link in self.pending]
        for where, _, _, relation in self.relations:
            wanted.append(("actor", relation.actor, f"{where}actor"))
            wanted += [
                ("source", c.source, f"{where}citations[{j}].source")
                for j, c in enumerate(relation.citations)
            ]
        for kind, known in self.known.items():
            known |= self._stored(kind, {t for k, t, _ in wanted if k == kind} - known)
        problems = [
            f"{where}: no {kind} with id {target!r}"
            for kind, target, where in wanted
            if target not in self.known[kind]
        ]
        if problems:
            return problems
        for link in self.pending:
            self.links.setdefault(link.table, []).append(link.row)
        self.pending.clear()
        self._write_links()
        for where, subject, position, relation in self.relations:
            row = {
                "position": position,
                "subject_id": subject,
                "type": relation.type.value,
                "object_id": relation.actor,
                "start_date": relation.start,
                "end_date": relation.end,
            }
            key = self._insert_returning_id(_ACTOR_RELATION, row)
            self._cite({"actor_relation_id": key}, relation.citations, where)
        self._write_links()
        for index in self.deferred:
            index.create(self.session.connection())
        for reindex in self.reindex:
            reindex()
        if self.changed:
            _bump_dataset_version(self.session)
            _analyze(self.session)
        return []


def _longest_event_days(session: Session) -> int | None:
    if session.get_bind().dialect.name == "postgresql":
        span = "CAST(latest_date AS date) - CAST(earliest_date AS date)"
    else:
        span = "julianday(latest_date) - julianday(earliest_date)"
    longest = session.execute(text(f"SELECT MAX({span}) FROM event")).scalar()
    return None if longest is None else math.ceil(longest)


def _analyze(session: Session) -> None:
    """Refresh the planner's statistics, which choose between the filter indexes."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA analysis_limit=1000"))
    session.execute(text("ANALYZE"))


def _bump_dataset_version(session: Session) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    dataset = session.get(Dataset, 1)
    if dataset is None:
        dataset = Dataset(id=1, version=0)
        session.add(dataset)
    dataset.version += 1
    dataset.updated_at = now
    dataset.longest_event_days = _longest_event_days(session)
    session.flush()


def load(session: Session, paths: Sequence[Path]) -> LoadSummary:
    """Validate and upsert every record of `paths`; raise `LoadError` listing every problem.

    After a `LoadError` the session holds partial writes: the caller rolls back.
    """
    problems: list[str] = []
    writer = _Writer.on(session)
    counts = dict.fromkeys(COLLECTIONS, 0)
    for collection, name, record in _validated(paths, problems):
        counts[collection] += 1
        if not problems:
            writer.add(collection, name, record)
    if not problems:
        problems = writer.finish()
    if problems:
        raise LoadError(problems)
    return LoadSummary(counts["sources"], counts["actors"], counts["events"], writer.changed)
