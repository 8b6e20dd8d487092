"""Data files to database, streamed: validated and written a batch at a time, in one transaction.

Memory stays flat however many records the files hold, and a bad file changes nothing: the
first problem stops the writing, the rest is still checked so that every problem is listed
(file, record, field), and the caller rolls back. Rows that point at a record not seen yet
are held back and written at the end, once every id is known. Nothing here commits.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Index, Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from app import search
from app.db import Base, analyze, longest_event_days
from app.loading import event_items, guard, placeholders, read_changes, references
from app.loading.copy import insert_rows, suspend_foreign_keys
from app.loading.datafile import COLLECTIONS
from app.loading.facet_counts import count_facets, read_by_counts
from app.loading.history import Change, History
from app.loading.progress import Progress
from app.loading.references import Reference
from app.loading.table_rows import Citations, Prepared, search_columns
from app.loading.transaction import collector_paused, transaction
from app.loading.validation import LoadError, Stored, digest_key, validated
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
    losses: list[str] = field(default_factory=list)  # what replacing stored records loses
    count: bool = True  # whether to count the facets of the new data version
    # Whether the load added or deleted events, and what the facet counts read of those it
    # updated, as stored before: with neither, the counts stay as they were.
    recount: bool = False
    counted: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    # ids of the stored records this load replaced, by table: their events' items are stale
    replaced: dict[str, set[str]] = field(default_factory=lambda: {"actor": set(), "event": set()})

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
            writer.reindex.append(suspend_foreign_keys(session, _DEFERRED))
        return writer

    def stored(self) -> Stored:
        """What the database holds, for `validated` to pass over the records stored as the
        files give them: by collection, the keys of the content hashes."""
        tables = {"sources": _SOURCE, "actors": _ACTOR, "events": _EVENT}
        return {
            collection: set(map(digest_key, self.session.scalars(select(table.c.content_hash))))
            for collection, table in tables.items()
            if table.name not in self.empty
        }

    def keep(self, record: Prepared) -> None:
        """Count a record stored with this very content as one of the files'."""
        kind = record.collection[:-1]
        self.known[kind].add(record.id)
        if self.prune:
            self.seen[kind].add(record.id)

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
        names = {record.id: record.name for record in changed}
        replaced = self.history.observe(table.name, [(r.id, r.content) for r in changed])
        for record_id, before, after in replaced:
            if (refusal := guard.refusal(names[record_id], before, after)) is not None:
                self.losses.append(refusal)
        fresh: list[dict[str, Any]] = []
        updated: list[dict[str, Any]] = []
        for record in changed:
            row = record.columns | {"content_hash": record.digest}
            row |= search_columns(table.name, record.columns)
            (updated if record.id in stored else fresh).append(row)
        if updated:
            keys = [row["id"] for row in updated]
            if table.name in self.replaced:
                self.replaced[table.name].update(keys)
            if table is _EVENT and self.count and not self.recount:
                self.counted |= read_by_counts(self.session, keys)
            for column in children:
                self.session.execute(delete(column.table).where(column.in_(keys)))
            statement = update(table).where(table.c.id == bindparam("key"))
            self.session.execute(statement, [row | {"key": row["id"]} for row in updated])
        if fresh:
            insert_rows(self.session, table, fresh)
            self.recount |= table is _EVENT
        return changed

    def _link(self, table: Table, row: dict[str, Any], kind: str, target: str, where: str) -> None:
        """Write `row` with the batch if its target exists, else hold it back to the end."""
        if kind != "event" and target in self.known[kind]:
            self.links.setdefault(table, []).append(row)
        else:
            self.pending.append(_Link(table, row, kind, target, where))

    def _write_links(self) -> None:
        for table, rows in self.links.items():
            if rows:
                insert_rows(self.session, table, rows)
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
            self.recount |= table is _EVENT and bool(absent)

    def wanted(self) -> list[Reference]:
        """The references not resolved yet: of held-back rows, relations, buffered records."""
        wanted = [(link.kind, link.target, link.where) for link in self.pending]
        for where, _, _, relation in self.relations:
            wanted += references.of_relation(where, relation)
        for record in (record for buffer in self.buffers.values() for record in buffer):
            wanted += references.made_by(record)
            self.known[record.collection[:-1]].add(record.id)
        return wanted

    def unresolved(self, wanted: list[Reference], also: dict[str, set[str]]) -> list[str]:
        """Problems for the references of `wanted` that neither the files, `also` nor
        (unless pruning) the database resolve."""
        return references.resolve(self.session, wanted, self.known, also, stored=not self.prune)

    def finish(self) -> list[str]:
        """Write what is buffered and held back; or the references that resolve nowhere."""
        self._flush()
        if problems := self.unresolved(self.wanted(), {}):
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
        read_changes.record(self.session)  # before the statistics, which plan its probes
        if self.changed:
            replaced = self.replaced
            event_items.forget(self.session, events=replaced["event"], actors=replaced["actor"])
            event_items.render_missing(self.session)
            _bump_dataset_version(self.session)
            analyze(self.session)
            if self.count:
                same = (
                    not self.recount and read_by_counts(self.session, self.counted) == self.counted
                )
                count_facets(self.session, unchanged=same)
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
    replace: bool = False,
    progress: Progress | None = None,
    facets: bool = True,
) -> LoadSummary:
    """Validate and upsert every record of `paths`; raise `LoadError` listing every problem.

    What changed becomes a release with `note`; with `prune`, the files are the whole data
    set and stored records they lack are deleted. A stored record whose new content loses
    actors, citations, figures, disputes or tags is a problem unless `replace`. Without
    `facets`, the facet counts of the common filters are not kept (`app.queries.facet_counts`
    counts on request). After a `LoadError` the session holds partial writes: the caller
    rolls back.
    """
    with collector_paused():
        writer = _Writer.on(session, History.on(session, keep=list_changes), prune=prune)
        writer.count = facets
        return _load(writer, paths, note, replace, progress or Progress.silent())


def _load(
    writer: _Writer, paths: Sequence[Path], note: str | None, replace: bool, progress: Progress
) -> LoadSummary:
    """Problems of every kind in one report: those of the schema and placeholders, then
    the references that resolve nowhere, then what replacing stored records would lose."""
    problems: list[str] = []
    later: list[Reference] = []  # references of the records read after the first problem
    counts = dict.fromkeys(COLLECTIONS, 0)
    for record in validated(paths, problems, writer.stored()):
        counts[record.collection] += 1
        problems += [] if record.stored else placeholders.found(record)
        if record.stored:
            writer.keep(record)
        elif problems:
            later += references.made_by(record)
        else:
            writer.add(record)
        progress.advance()
    progress.finishing("writing what was held back, indexes and the search index")
    if problems:
        problems += writer.unresolved(writer.wanted() + later, references.ids_in(paths))
    else:
        problems = writer.finish()
    if not problems and writer.losses and not replace:
        problems = [*writer.losses, guard.HINT]
    if problems:
        raise LoadError(problems)
    release = writer.history.finish(note)
    progress.done()
    return LoadSummary(
        counts["sources"],
        counts["actors"],
        counts["events"],
        writer.changed,
        release,
        writer.history.changes,
    )
