"""Database to data files: what `load` reads back to the same database content."""

import json
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.loading.progress import Progress
from app.models import Actor, ActorRelation, Citation, Dispute, Event, Figure, Source
from app.schemas import (
    ActorIn,
    ActorRelationIn,
    CitationIn,
    DataFile,
    DisputeIn,
    EventIn,
    EventRelationIn,
    FigureIn,
    LocalizedIn,
    LocationIn,
    ParticipationIn,
    SourceIn,
)

SCHEMA_FILE = "schema.json"
DATA_FILES = ("sources.json", "actors.json", "events.json")  # what `export` writes the data to


def _localized(row: object, field: str) -> LocalizedIn:
    return LocalizedIn(**{lang: getattr(row, f"{field}_{lang}") for lang in ("en", "nl", "fr")})


def _citations(rows: list[Citation]) -> list[CitationIn]:
    return [CitationIn(source=c.source_id, quote=c.quote) for c in rows]


def _disputes(rows: list[Dispute]) -> list[DisputeIn]:
    return [DisputeIn(note=d.note, citations=_citations(d.citations)) for d in rows]


def _figure(row: Figure) -> FigureIn:
    return FigureIn(
        measure=row.measure,
        value=row.value,
        qualifier=row.qualifier,
        unit=row.unit,
        as_of=row.as_of,
        description=_localized(row, "description"),
        citations=_citations(row.citations),
        disputes=_disputes(row.disputes),
    )


def _event(row: Event) -> EventIn:
    location = None
    if row.place is not None:
        location = LocationIn(
            place=row.place, country=row.country, latitude=row.latitude, longitude=row.longitude
        )
    return EventIn.model_validate(
        {
            "id": row.id,
            "type": row.type,
            "title": _localized(row, "title"),
            "summary": _localized(row, "summary"),
            "start": row.start_date,
            "end": row.end_date,
            "location": location,
            "tags": [t.tag for t in row.tags],
            "importance": row.importance,
            "actors": [ParticipationIn(actor=p.actor_id, role=p.role) for p in row.actors],
            "figures": [_figure(f) for f in row.figures],
            "relations": [EventRelationIn(type=r.type, event=r.object_id) for r in row.outgoing],
            "citations": _citations(row.citations),
            "disputes": _disputes(row.disputes),
        }
    )


def _actor(row: Actor) -> ActorIn:
    return ActorIn.model_validate(
        {
            "id": row.id,
            "kind": row.kind,
            "name": _localized(row, "name"),
            "description": _localized(row, "description"),
            "aliases": row.aliases,
            "country": row.country,
            "wikidata": row.wikidata,
            "relations": [
                ActorRelationIn(
                    type=r.type,
                    actor=r.object_id,
                    start=r.start_date,
                    end=r.end_date,
                    citations=_citations(r.citations),
                )
                for r in row.outgoing
            ],
            "citations": _citations(row.citations),
        }
    )


def _write(path: Path, document: BaseModel | dict[str, object]) -> None:
    data = (
        document.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        if isinstance(document, BaseModel)
        else document
    )
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def json_schema() -> dict[str, object]:
    """The JSON Schema of a data file, generated from the same models `load` validates with."""
    schema = DataFile.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def export(session: Session, directory: Path, progress: Progress | None = None) -> dict[str, int]:
    """Write sources, actors and events as data files (and their schema) into `directory`,
    counting the records converted on `progress`."""
    progress = progress or Progress.silent()
    directory.mkdir(parents=True, exist_ok=True)
    sources = session.scalars(select(Source).order_by(Source.id)).all()
    actors = session.scalars(
        select(Actor)
        .order_by(Actor.id)
        .options(
            selectinload(Actor.citations),
            selectinload(Actor.outgoing).selectinload(ActorRelation.citations),
        )
    ).all()
    events = session.scalars(
        select(Event)
        .order_by(Event.earliest_date, Event.id)
        .options(
            selectinload(Event.actors),
            selectinload(Event.tags),
            selectinload(Event.citations),
            selectinload(Event.outgoing),
            selectinload(Event.disputes).selectinload(Dispute.citations),
            selectinload(Event.figures).options(
                selectinload(Figure.citations),
                selectinload(Figure.disputes).selectinload(Dispute.citations),
            ),
        )
    ).all()
    progress.total = len(sources) + len(actors) + len(events)
    reference = f"./{SCHEMA_FILE}"
    _write(
        directory / "sources.json",
        DataFile.model_validate(
            {
                "$schema": reference,
                "sources": [
                    SourceIn.model_validate(s, from_attributes=True) for s in progress.each(sources)
                ],
            }
        ),
    )
    _write(
        directory / "actors.json",
        DataFile.model_validate(
            {"$schema": reference, "actors": [_actor(a) for a in progress.each(actors)]}
        ),
    )
    _write(
        directory / "events.json",
        DataFile.model_validate(
            {"$schema": reference, "events": [_event(e) for e in progress.each(events)]}
        ),
    )
    _write(directory / SCHEMA_FILE, json_schema())
    progress.done()
    return {"sources": len(sources), "actors": len(actors), "events": len(events)}
