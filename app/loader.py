"""Data files to database: validate everything first, then upsert in one transaction.

A bad file changes nothing, and the error names the file, the record and the field.
The caller owns the transaction; nothing here commits.
"""

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app import dates
from app.models import (
    Actor,
    ActorRelation,
    Citation,
    Dataset,
    Dispute,
    Event,
    EventActor,
    EventRelation,
    EventTag,
    Figure,
    Source,
)
from app.schemas import (
    ActorIn,
    CitationIn,
    DataFile,
    DisputeIn,
    EventIn,
    FigureIn,
    LocalizedIn,
    SourceIn,
)
from app.text import fold


class LoadError(Exception):
    """Why a set of data files cannot be loaded; each line names file, record and field."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class LoadSummary:
    """How many records of each kind a load read, and how many of them changed."""

    sources: int
    actors: int
    events: int
    changed: int


def _record_name(raw: Any, loc: tuple[int | str, ...]) -> tuple[str, tuple[int | str, ...]]:
    """`events[3] 'mali-coup-2021'` and the field path inside that record."""
    if len(loc) >= 2 and isinstance(loc[1], int) and isinstance(raw, dict):
        collection, index = str(loc[0]), loc[1]
        records = raw.get(collection)
        record_id = None
        if isinstance(records, list) and index < len(records) and isinstance(records[index], dict):
            record_id = records[index].get("id")
        name = f"{collection}[{index}]" + (f" {record_id!r}" if record_id else "")
        return name, loc[2:]
    return "file", loc


def read_file(path: Path) -> DataFile:
    """Parse and validate one data file."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LoadError([f"{path}: cannot read: {exc.strerror}"]) from None
    except UnicodeDecodeError as exc:
        raise LoadError([f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"]) from None
    except json.JSONDecodeError as exc:
        raise LoadError(
            [f"{path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"]
        ) from None
    try:
        return DataFile.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            record, field = _record_name(raw, error["loc"])
            where = ".".join(str(part) for part in field) or "(record)"
            problems.append(f"{path}: {record}: {where}: {error['msg']}")
        raise LoadError(problems) from None


@dataclass
class _Batch:
    """Every record of the files being loaded, each with the file it came from."""

    sources: dict[str, tuple[Path, int, SourceIn]]
    actors: dict[str, tuple[Path, int, ActorIn]]
    events: dict[str, tuple[Path, int, EventIn]]


R = TypeVar("R", SourceIn, ActorIn, EventIn)


def _index(
    path: Path, kind: str, records: list[R], into: dict[str, tuple[Path, int, R]]
) -> list[str]:
    """Add `records` to `into` by id; an id defined twice is a problem."""
    problems = []
    for index, record in enumerate(records):
        if record.id in into:
            first = into[record.id][0]
            problems.append(f"{path}: {kind}[{index}] {record.id!r}: id: also defined in {first}")
        into[record.id] = (path, index, record)
    return problems


def _collect(files: Iterable[tuple[Path, DataFile]]) -> _Batch:
    batch = _Batch({}, {}, {})
    problems = []
    for path, data in files:
        problems += _index(path, "sources", data.sources, batch.sources)
        problems += _index(path, "actors", data.actors, batch.actors)
        problems += _index(path, "events", data.events, batch.events)
    if problems:
        raise LoadError(problems)
    return batch


def _citations_in(record: EventIn | ActorIn) -> Iterable[tuple[str, CitationIn]]:
    """Every citation in a record, with the field path that holds it."""
    for i, c in enumerate(record.citations):
        yield f"citations[{i}]", c
    disputes: list[tuple[str, DisputeIn]] = []
    if isinstance(record, EventIn):
        disputes += [(f"disputes[{i}]", d) for i, d in enumerate(record.disputes)]
        for i, figure in enumerate(record.figures):
            for j, c in enumerate(figure.citations):
                yield f"figures[{i}].citations[{j}]", c
            disputes += [(f"figures[{i}].disputes[{j}]", d) for j, d in enumerate(figure.disputes)]
    else:
        for i, relation in enumerate(record.relations):
            for j, c in enumerate(relation.citations):
                yield f"relations[{i}].citations[{j}]", c
    for where, dispute in disputes:
        for j, c in enumerate(dispute.citations):
            yield f"{where}.citations[{j}]", c


def _check_references(session: Session, batch: _Batch) -> None:
    """Every id a record names must be in the files or already in the database."""

    def known(model: type[Source] | type[Actor] | type[Event], ids: set[str]) -> set[str]:
        missing = list(ids)
        found = session.scalars(select(model.id).where(model.id.in_(missing))).all()
        return set(found)

    def records() -> Iterable[tuple[Path, str, EventIn | ActorIn]]:
        for kind, collection in (("actors", batch.actors), ("events", batch.events)):
            for record_id, (path, index, record) in collection.items():
                yield path, f"{kind}[{index}] {record_id!r}", record

    wanted: dict[str, set[str]] = {"source": set(), "actor": set(), "event": set()}
    references: list[tuple[Path, str, str, str, str]] = []
    for path, name, record in records():
        for where, citation in _citations_in(record):
            references.append((path, name, f"{where}.source", "source", citation.source))
        if isinstance(record, EventIn):
            for i, p in enumerate(record.actors):
                references.append((path, name, f"actors[{i}].actor", "actor", p.actor))
            for i, link in enumerate(record.relations):
                references.append((path, name, f"relations[{i}].event", "event", link.event))
        else:
            for i, tie in enumerate(record.relations):
                references.append((path, name, f"relations[{i}].actor", "actor", tie.actor))
    for *_, kind, target in references:
        wanted[kind].add(target)
    available = {
        "source": set(batch.sources) | known(Source, wanted["source"] - set(batch.sources)),
        "actor": set(batch.actors) | known(Actor, wanted["actor"] - set(batch.actors)),
        "event": set(batch.events) | known(Event, wanted["event"] - set(batch.events)),
    }
    problems = [
        f"{path}: {name}: {field}: no {kind} with id {target!r}"
        for path, name, field, kind, target in references
        if target not in available[kind]
    ]
    if problems:
        raise LoadError(problems)


def _localized_columns(field: str, text: LocalizedIn) -> dict[str, str]:
    """`{field}_en`, `{field}_nl` and `{field}_fr` column values for a localized text."""
    return {f"{field}_{language}": value for language, value in text.model_dump().items()}


def _set_localized(row: Actor | Event, field: str, text: LocalizedIn) -> None:
    for column, value in _localized_columns(field, text).items():
        setattr(row, column, value)


def _citation_rows(citations: Sequence[CitationIn]) -> list[Citation]:
    return [
        Citation(position=i, source_id=c.source, quote=c.quote) for i, c in enumerate(citations)
    ]


def _dispute_rows(disputes: Sequence[DisputeIn]) -> list[Dispute]:
    return [
        Dispute(position=i, note=d.note, citations=_citation_rows(d.citations))
        for i, d in enumerate(disputes)
    ]


def _figure_rows(figures: Sequence[FigureIn]) -> list[Figure]:
    return [
        Figure(
            position=i,
            measure=f.measure,
            value=f.value,
            qualifier=f.qualifier.value,
            unit=f.unit,
            as_of=f.as_of,
            citations=_citation_rows(f.citations),
            disputes=_dispute_rows(f.disputes),
            **_localized_columns("description", f.description),
        )
        for i, f in enumerate(figures)
    ]


def _digest(record: BaseModel) -> str:
    return hashlib.sha256(record.model_dump_json().encode()).hexdigest()


def _changed(
    session: Session, model: type[Source] | type[Actor] | type[Event], records: Iterable[R]
) -> list[tuple[R, str]]:
    """The records whose content differs from what the database holds, with their hashes."""
    hashed = [(record, _digest(record)) for record in records]
    ids = [record.id for record, _ in hashed]
    rows = session.execute(select(model.id, model.content_hash).where(model.id.in_(ids)))
    stored = {row.id: row.content_hash for row in rows}
    return [(record, digest) for record, digest in hashed if stored.get(record.id) != digest]


def _bump_dataset_version(session: Session) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    dataset = session.get(Dataset, 1)
    if dataset is None:
        session.add(Dataset(id=1, version=1, updated_at=now))
    else:
        dataset.version += 1
        dataset.updated_at = now


def _upsert_sources(session: Session, records: Iterable[tuple[SourceIn, str]]) -> None:
    for record, digest in records:
        row = session.get(Source, record.id) or Source(id=record.id)
        for field in ("title", "publisher", "published", "language", "url"):
            setattr(row, field, getattr(record, field))
        row.content_hash = digest
        session.add(row)


def _upsert_actors(session: Session, changed: Sequence[tuple[ActorIn, str]]) -> None:
    records = [record for record, _ in changed]
    digests = {record.id: digest for record, digest in changed}
    ids = [r.id for r in records]
    existing = {
        a.id: a
        for a in session.scalars(
            select(Actor)
            .where(Actor.id.in_(ids))
            .options(selectinload(Actor.citations), selectinload(Actor.outgoing))
        )
    }
    for row in existing.values():
        row.citations.clear()
        row.outgoing.clear()
    session.flush()
    rows = []
    for record in records:
        row = existing.get(record.id) or Actor(id=record.id, outgoing=[])
        row.kind = record.kind.value
        _set_localized(row, "name", record.name)
        _set_localized(row, "description", record.description)
        row.aliases = list(record.aliases)
        row.country = record.country
        row.wikidata = record.wikidata
        row.content_hash = digests[record.id]
        row.search_text = fold(
            " ".join(
                [*record.name.model_dump().values(), *record.aliases]
                + list(record.description.model_dump().values())
            )
        )
        row.citations = _citation_rows(record.citations)
        session.add(row)
        rows.append((row, record))
    session.flush()  # relations may point at actors added just now
    for row, record in rows:
        row.outgoing = [
            ActorRelation(
                position=i,
                type=r.type.value,
                object_id=r.actor,
                start_date=r.start,
                end_date=r.end,
                citations=_citation_rows(r.citations),
            )
            for i, r in enumerate(record.relations)
        ]


def _upsert_events(session: Session, changed: Sequence[tuple[EventIn, str]]) -> None:
    records = [record for record, _ in changed]
    digests = {record.id: digest for record, digest in changed}
    ids = [r.id for r in records]
    existing = {
        e.id: e
        for e in session.scalars(
            select(Event)
            .where(Event.id.in_(ids))
            .options(
                selectinload(Event.actors),
                selectinload(Event.tags),
                selectinload(Event.figures),
                selectinload(Event.disputes),
                selectinload(Event.citations),
                selectinload(Event.outgoing),
            )
        )
    }
    for row in existing.values():
        for collection in (row.actors, row.tags, row.figures, row.disputes, row.citations):
            collection.clear()
        row.outgoing.clear()
    session.flush()
    rows = []
    for record in records:
        row = existing.get(record.id) or Event(id=record.id, outgoing=[])
        row.type = record.type.value
        _set_localized(row, "title", record.title)
        _set_localized(row, "summary", record.summary)
        row.start_date, row.end_date = record.start, record.end
        row.earliest_date = dates.bounds(record.start)[0]
        row.latest_date = dates.bounds(record.end or record.start)[1]
        location = record.location
        row.place = location.place if location else None
        row.country = location.country if location else None
        row.latitude = location.latitude if location else None
        row.longitude = location.longitude if location else None
        row.importance = record.importance
        row.content_hash = digests[record.id]
        row.disputed = bool(record.disputes) or any(f.disputes for f in record.figures)
        row.search_text = fold(
            " ".join(
                list(record.title.model_dump().values())
                + list(record.summary.model_dump().values())
                + ([location.place] if location else [])
            )
        )
        row.actors = [
            EventActor(actor_id=p.actor, role=p.role.value, position=i)
            for i, p in enumerate(record.actors)
        ]
        row.tags = [EventTag(tag=t) for t in record.tags]
        row.figures = _figure_rows(record.figures)
        row.disputes = _dispute_rows(record.disputes)
        row.citations = _citation_rows(record.citations)
        session.add(row)
        rows.append((row, record))
    session.flush()  # relations may point at events added just now
    for row, record in rows:
        row.outgoing = [
            EventRelation(position=i, type=r.type.value, object_id=r.event)
            for i, r in enumerate(record.relations)
        ]


def load(session: Session, paths: Sequence[Path]) -> LoadSummary:
    """Validate every file, check every reference, then upsert all records.

    Raises `LoadError` before writing anything when a file is bad.
    """
    files, problems = [], []
    for path in paths:
        try:
            files.append((path, read_file(path)))
        except LoadError as exc:
            problems += exc.problems
    if problems:
        raise LoadError(problems)
    batch = _collect(files)
    _check_references(session, batch)
    sources = _changed(session, Source, (record for *_, record in batch.sources.values()))
    actors = _changed(session, Actor, (record for *_, record in batch.actors.values()))
    events = _changed(session, Event, (record for *_, record in batch.events.values()))
    _upsert_sources(session, sources)
    _upsert_actors(session, actors)
    _upsert_events(session, events)
    changed = len(sources) + len(actors) + len(events)
    if changed:
        _bump_dataset_version(session)
    session.flush()
    return LoadSummary(len(batch.sources), len(batch.actors), len(batch.events), changed)
