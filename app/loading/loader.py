"""Data files to database, streamed: validated and written a batch at a time, in one transaction.

Memory stays flat however many records the files hold, and a bad file changes nothing: the
first problem stops the writing, the rest is still checked so that every problem is listed
(file, record, field), and the caller rolls back. Rows that point at a record not seen yet
are held back and written at the end, once every id is known. Nothing here commits.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Index,
    Table,
    bindparam,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from app import search
from app.db import (
    Base,
    analyze,
    longest_event_days,
)
from app.loading.datafile import COLLECTIONS
from app.loading.facet_counts import count_facets
from app.loading.history import Change, History
from app.loading.table_rows import Citations, Prepared, search_text
from app.loading.transaction import collector_paused, transaction
from app.loading.validation import LoadError, validated
from app.models import Dataset

__all__ = ["LoadError", "LoadSummary", "load", "transaction"]

BATCH = 2000  # records written per round trip
_ID_CHUNK = 5000  # ids per IN list when asking the database which exist

_TABLES = Base.metadata.tables
_SOURCE, _ACTOR, _EVENT = _TABLES["source"], _TABLES["actor"], _TABLES["event"]
_CITATION, _FIGURE, _DISPUTE = _TABLES["citation"], _TABLES["figure"], _TABLES["dispute"]
_EVENT_ACTOR, _EVENT_TAG = _TABLES["event_actor"], _TABLES["event_tag"]
_EVENT_RELATION, _ACTOR_RELATION = _TABLES["event_relation"], _TABLES["actor_relation"]
# Tables that grow with the events, whose indexes a first load builds at the end.
_DEFERRED = (_EVENT, _EVENT_ACTOR, _EVENT_TAG, _EVENT_RELATION, _CITATION, _FIGURE, _DISPUTE)
# Rows of one executemany need the same keys; a citation sets exactly one of these.
_NO_OWNER = dict.fromkeys(["event_id", "figure_id", "dispute_id", "actor_id", "actor_relation_id"])


@dataclass(frozen=True)
class LoadSummary:
    """How many records of each kind a load read, and how many of them changed."""

    sources: int
    actors: int
    events: int
    changed: int
    release: int | None = None  # the release this load made, if it changed anything
    changes: list[Change] = field(default_factory=list)  # listed when asked for


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
    history: History
    prune: bool = False
    seen: dict[str, set[str]] = field(default_factory=dict)  # ids in the files, to prune
    buffers: dict[str, list[Prepared]] = field(
        default_factory=lambda: {collection: [] for collection in COLLECTIONS}
    )
    pending: list[_Link] = field(default_factory=list)
    # actor relations: (where, subject, position, relation), written once every actor is
    relations: list[tuple[str, str, int, dict[str, Any]]] = field(default_factory=list)
    links: dict[Table, list[dict[str, Any]]] = field(default_factory=dict)
    changed: int = 0
    deferred: list[Index] = field(default_factory=list)
    empty: set[str] = field(default_factory=set)  # tables that held no row when the load began
    reindex: list[Callable[[], None]] = field(default_factory=list)

    @classmethod
    def on(cls, session: Session, history: History, *, prune: bool = False) -> "_Writer":
        """A writer that knows the sources and actors already stored (a few thousand ids);
        when it prunes, only those of the files count.

        Into an empty event table, the secondary indexes of the event tables are dropped
        and built again at the end, in the same transaction: one sort per index instead of
        an insert per row.
        """
        known: dict[str, set[str]] = {"source": set(), "actor": set(), "event": set()}
        if not prune:
            known["source"] = set(session.scalars(select(_SOURCE.c.id)))
            known["actor"] = set(session.scalars(select(_ACTOR.c.id)))
        writer = cls(session, known, history, prune, {kind: set() for kind in known})
        writer.empty = {
            table.name
            for table in (_SOURCE, _ACTOR, _EVENT)
            if session.execute(select(table.c.id).limit(1)).first() is None
        }
        if _EVENT.name in writer.empty:
            writer.deferred = [index for table in _DEFERRED for index in table.indexes]
            for index in writer.deferred:
                index.drop(session.connection())
            writer.reindex.append(search.suspend(session, "event"))
        return writer

    def add(self, record: Prepared) -> None:
        buffer = self.buffers[record.collection]
        buffer.append(record)
        if len(buffer) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        self._write(self.buffers)
        self.buffers = {collection: [] for collection in COLLECTIONS}

    def _write(self, buffers: dict[str, list[Prepared]]) -> None:
        """Sources, then actors, then events, so that references resolve."""
        self._store(_SOURCE, buffers["sources"], [])
        actor_children = [_CITATION.c.actor_id, _ACTOR_RELATION.c.subject_id]
        for record in self._store(_ACTOR, buffers["actors"], actor_children):
            self._actor_children(record)
        self._write_links()
        event_children = [
            _EVENT_ACTOR.c.event_id,
            _EVENT_TAG.c.event_id,
            _FIGURE.c.event_id,
            _DISPUTE.c.event_id,
            _CITATION.c.event_id,
            _EVENT_RELATION.c.subject_id,
        ]
        for record in self._store(_EVENT, buffers["events"], event_children):
            self._event_children(record)
        self._write_links()

    def _store(
        self, table: Table, batch: list[Prepared], children: Sequence[Any]
    ) -> list[Prepared]:
        """Insert new and update changed records; return those whose children must be written.

        An unchanged record (same content hash) is not touched. A changed one keeps its row,
        so relations from other records keep pointing at it, and loses its children.
        """
        if not batch:
            return []
        ids = [record.id for record in batch]
        self.known[table.name].update(ids)
        if self.prune:
            self.seen[table.name].update(ids)
        stored: dict[str, str] = {}
        if table.name not in self.empty:  # else nothing can be stored yet: ids are unique
            rows = self.session.execute(
                select(table.c.id, table.c.content_hash).where(table.c.id.in_(ids))
            )
            stored = {row.id: row.content_hash for row in rows}
        changed = [record for record in batch if stored.get(record.id) != record.digest]
        if not changed:
            return []
        self.changed += len(changed)
        self.history.observe(table.name, [(record.id, record.content) for record in changed])
        fresh: list[dict[str, Any]] = []
        updated: list[dict[str, Any]] = []
        for record in changed:
            row = record.columns | {"content_hash": record.digest}
            if (text := search_text(table.name, record.columns)) is not None:
                row["search_text"] = text
            (updated if record.id in stored else fresh).append(row)
        if updated:
            keys = [row["id"] for row in updated]
            for column in children:
                self.session.execute(delete(column.table).where(column.in_(keys)))
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
        """INSERT `rows`, all with the same keys; straight to the driver's executemany
        where no column needs SQLAlchemy's type processing."""
        if any(isinstance(column.type, JSON) for column in table.columns):
            self.session.execute(insert(table), rows)
            return
        connection = self.session.connection()
        mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        names = list(rows[0])
        marks = ", ".join([mark] * len(names))
        statement = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})"
        values = itemgetter(*names)  # rows to tuples in C
        connection.exec_driver_sql(statement, [values(row) for row in rows])

    def _write_links(self) -> None:
        for table, rows in self.links.items():
            if rows:
                self._insert(table, rows)
        self.links.clear()

    def _cite(self, owner: dict[str, Any], citations: Citations, where: str) -> None:
        for i, (source, quote) in enumerate(citations):
            row = {"position": i, "source_id": source, "quote": quote, **_NO_OWNER, **owner}
            self._link(_CITATION, row, "source", source, f"{where}citations[{i}].source")

    def _insert_returning_id(self, table: Table, row: dict[str, Any]) -> int:
        key: int = self.session.execute(insert(table).returning(table.c.id), row).scalar_one()
        return key

    def _disputes(self, owner: dict[str, Any], disputes: list[Any], where: str) -> None:
        for i, dispute in enumerate(disputes):
            row = {"position": i, "note": dispute["note"], "event_id": None, "figure_id": None}
            key = self._insert_returning_id(_DISPUTE, row | owner)
            self._cite({"dispute_id": key}, dispute["citations"], f"{where}disputes[{i}].")

    def _figures(self, event_id: str, figures: list[Any], where: str) -> None:
        for i, figure in enumerate(figures):
            row = {"position": i, "event_id": event_id, **figure["columns"]}
            key = self._insert_returning_id(_FIGURE, row)
            self._cite({"figure_id": key}, figure["citations"], f"{where}figures[{i}].")
            self._disputes({"figure_id": key}, figure["disputes"], f"{where}figures[{i}].")

    def _actor_children(self, record: Prepared) -> None:
        where = f"{record.name}: "
        self._cite({"actor_id": record.id}, record.parts["citations"], where)
        # Relations may point at any actor of the files, and carry citations of their own.
        self.relations.extend(
            (f"{where}relations[{i}].", record.id, i, relation)
            for i, relation in enumerate(record.parts["relations"])
        )

    def _event_children(self, record: Prepared) -> None:
        where, parts = f"{record.name}: ", record.parts
        for i, (actor, role) in enumerate(parts["actors"]):
            row = {"event_id": record.id, "actor_id": actor, "role": role, "position": i}
            row["earliest_date"] = record.columns["earliest_date"]
            self._link(_EVENT_ACTOR, row, "actor", actor, f"{where}actors[{i}].actor")
        tags = [{"event_id": record.id, "tag": tag} for tag in parts["tags"]]
        self.links.setdefault(_EVENT_TAG, []).extend(tags)
        self._cite({"event_id": record.id}, parts["citations"], where)
        self._figures(record.id, parts["figures"], where)
        self._disputes({"event_id": record.id}, parts["disputes"], where)
        for i, (kind, target) in enumerate(parts["relations"]):
            row = {"position": i, "subject_id": record.id, "type": kind, "object_id": target}
            self._link(_EVENT_RELATION, row, "event", target, f"{where}relations[{i}].event")

    def _stored(self, kind: str, ids: Iterable[str]) -> set[str]:
        """Which of `ids` the database already holds."""
        table = _TABLES[kind]
        wanted, found = list(ids), set[str]()
        for start in range(0, len(wanted), _ID_CHUNK):
            chunk = wanted[start : start + _ID_CHUNK]
            found.update(self.session.scalars(select(table.c.id).where(table.c.id.in_(chunk))))
        return found

    def _delete_absent(self) -> None:
        """Delete the stored records the files do not hold, events first: nothing the files
        keep can point at them, since references were checked against the files alone."""
        for table in (_EVENT, _ACTOR, _SOURCE):
            absent = sorted(set(self.session.scalars(select(table.c.id))) - self.seen[table.name])
            for start in range(0, len(absent), _ID_CHUNK):
                chunk = absent[start : start + _ID_CHUNK]
                self.session.execute(delete(table).where(table.c.id.in_(chunk)))
            self.history.delete(table.name, absent)
            self.changed += len(absent)

    def finish(self) -> list[str]:
        """Write what is buffered and held back; or the references that resolve nowhere."""
        self._flush()
        wanted = [(link.kind, link.target, f"{link.where}") for link in self.pending]
        for where, _, _, relation in self.relations:
            wanted.append(("actor", relation["actor"], f"{where}actor"))
            wanted += [
                ("source", source, f"{where}citations[{j}].source")
                for j, (source, _) in enumerate(relation["citations"])
            ]
        for kind, known in self.known.items():
            if not self.prune:
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
                "type": relation["type"],
                "object_id": relation["actor"],
                "start_date": relation["start"],
                "end_date": relation["end"],
            }
            key = self._insert_returning_id(_ACTOR_RELATION, row)
            self._cite({"actor_relation_id": key}, relation["citations"], where)
        self._write_links()
        if self.prune:
            self._delete_absent()
        for index in self.deferred:
            index.create(self.session.connection())
        for reindex in self.reindex:
            reindex()
        if self.changed:
            _bump_dataset_version(self.session)
            analyze(self.session)
            count_facets(self.session)
        return []


def _bump_dataset_version(session: Session) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    dataset = session.get(Dataset, 1)
    if dataset is None:
        dataset = Dataset(id=1, version=0)
        session.add(dataset)
    dataset.version += 1
    dataset.updated_at = now
    dataset.longest_event_days = longest_event_days(session)
    session.flush()


def load(
    session: Session,
    paths: Sequence[Path],
    *,
    note: str | None = None,
    prune: bool = False,
    list_changes: bool = False,
) -> LoadSummary:
    """Validate and upsert every record of `paths`; raise `LoadError` listing every problem.

    What changed becomes a release with `note`; with `prune`, the files are the whole data
    set and stored records they lack are deleted. After a `LoadError` the session holds
    partial writes: the caller rolls back.
    """
    with collector_paused():
        return _load(session, paths, note, prune, list_changes)


def _load(
    session: Session, paths: Sequence[Path], note: str | None, prune: bool, list_changes: bool
) -> LoadSummary:
    problems: list[str] = []
    history = History.on(session, keep=list_changes)
    writer = _Writer.on(session, history, prune=prune)
    counts = dict.fromkeys(COLLECTIONS, 0)
    for record in validated(paths, problems):
        counts[record.collection] += 1
        if not problems:
            writer.add(record)
    if not problems:
        problems = writer.finish()
    if problems:
        raise LoadError(problems)
    release = history.finish(note)
    return LoadSummary(
        counts["sources"],
        counts["actors"],
        counts["events"],
        writer.changed,
        release,
        history.changes,
    )
