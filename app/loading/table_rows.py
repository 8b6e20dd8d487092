"""Validated records as plain table rows: what `load` writes, and what crosses processes.

Plain dicts, tuples and strings serialize faster than pydantic models, so the worker that
validates hands these to the loading process (see `app.loading.validation`).
"""

from typing import Any, NamedTuple

from app import edtf_dates, search
from app.folding import fold
from app.schemas import ActorIn, CitationIn, DisputeIn, EventIn, FigureIn, LocalizedIn, SourceIn

Citations = list[tuple[str, str]]  # (source id, quote)


class Prepared(NamedTuple):
    """One valid record: its columns, and its parts that become rows of other tables.

    `parts` by collection: sources none; actors `citations` and `relations` (dicts);
    events `actors` ((actor, role)), `tags`, `citations`, `figures` and `disputes`
    (dicts), `relations` ((type, event)).
    """

    collection: str
    name: str  # file, index and id, for problems
    id: str
    digest: str  # content hash: an unchanged record is not written again
    columns: dict[str, Any]
    parts: dict[str, list[Any]]
    content: dict[str, Any]  # the record as its data file holds it, for its history
    # Stored with this very text: not validated again, and only the fields above `columns` set.
    stored: bool = False


def _localized(name: str, text: LocalizedIn) -> dict[str, str]:
    """`{name}_en`, `{name}_nl` and `{name}_fr` column values for a localized text."""
    return {f"{name}_en": text.en, f"{name}_nl": text.nl, f"{name}_fr": text.fr}


def _citations(citations: list[CitationIn]) -> Citations:
    return [(c.source, c.quote) for c in citations]


def _dispute(dispute: DisputeIn) -> dict[str, Any]:
    return {"note": dispute.note, "citations": _citations(dispute.citations)}


def _figure(figure: FigureIn) -> dict[str, Any]:
    return {
        "columns": {
            "measure": figure.measure,
            "value": figure.value,
            "qualifier": figure.qualifier.value,
            "unit": figure.unit,
            "as_of": figure.as_of,
            **_localized("description", figure.description),
        },
        "citations": _citations(figure.citations),
        "disputes": [_dispute(d) for d in figure.disputes],
    }


def _source(record: SourceIn) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    keep = {"id", "title", "publisher", "published", "language", "url"}
    return record.model_dump(include=keep), {}


def _actor(record: ActorIn) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    name, description = record.name, record.description
    columns = {
        "id": record.id,
        "kind": record.kind.value,
        **_localized("name", name),
        **_localized("description", description),
        "aliases": list(record.aliases),
        "country": record.country,
        "wikidata": record.wikidata,
    }
    relations = [
        {
            "type": r.type.value,
            "actor": r.actor,
            "start": r.start,
            "end": r.end,
            "citations": _citations(r.citations),
        }
        for r in record.relations
    ]
    return columns, {"citations": _citations(record.citations), "relations": relations}


def _event(record: EventIn) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    location = record.location
    title, summary = record.title, record.summary
    earliest, latest = edtf_dates.bounds(record.start, record.end)
    columns: dict[str, Any] = {
        "id": record.id,
        "type": record.type.value,
        **_localized("title", title),
        **_localized("summary", summary),
        "start_date": record.start,
        "end_date": record.end,
        "earliest_date": earliest,
        "latest_date": latest,
        "place": location.place if location else None,
        "country": location.country if location else None,
        "latitude": location.latitude if location else None,
        "longitude": location.longitude if location else None,
        "importance": record.importance,
        "disputed": bool(record.disputes) or any(f.disputes for f in record.figures),
    }
    parts: dict[str, list[Any]] = {
        "actors": [(p.actor, p.role.value) for p in record.actors],
        "tags": list(record.tags),
        "citations": _citations(record.citations),
        "figures": [_figure(f) for f in record.figures],
        "disputes": [_dispute(d) for d in record.disputes],
        "relations": [(r.type.value, r.event) for r in record.relations],
    }
    return columns, parts


def search_columns(table: str, columns: dict[str, Any]) -> dict[str, str]:
    """What the search index holds for a row of `table`, folded: `search_text`, its texts in
    every language (an actor's aliases, an event's place), and `search_names`, the names
    and aliases or titles that rank a match (`app.search.rank`); none for a table that is
    not searched.

    Derived from the columns by the loading process rather than sent along with them: the
    validating process is the busier of the two.
    """
    if table == "event":
        titles = [columns[f"title_{lang}"] for lang in ("en", "nl", "fr")]
        summaries = [columns[f"summary_{lang}"] for lang in ("en", "nl", "fr")]
        place = columns["place"]
        text = " ".join(titles + summaries + ([place] if place else []))
        return {"search_text": fold(text), "search_names": search.names_text(titles)}
    if table == "actor":
        names = [columns[f"name_{lang}"] for lang in ("en", "nl", "fr")] + columns["aliases"]
        descriptions = [columns[f"description_{lang}"] for lang in ("en", "nl", "fr")]
        text = " ".join(names + descriptions)
        return {"search_text": fold(text), "search_names": search.names_text(names)}
    return {}


def prepare(
    collection: str, name: str, record: SourceIn | ActorIn | EventIn, digest: str
) -> Prepared:
    """The rows of a validated record."""
    if isinstance(record, EventIn):
        columns, parts = _event(record)
    elif isinstance(record, ActorIn):
        columns, parts = _actor(record)
    else:
        columns, parts = _source(record)
    content = record.model_dump(mode="json", by_alias=True, exclude_none=True)
    return Prepared(collection, name, record.id, digest, columns, parts, content)
