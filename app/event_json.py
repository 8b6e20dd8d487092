"""Events as JSON built by the database: list items (`EventSummary`) and full events (`EventRead`).

The database's JSON functions (SQLite's JSON1, PostgreSQL's json) build each object in one
statement, and the API only joins the bytes. The response models stay the definition:
every object built here names its model, and `check_shapes` (run by `create_app`) fails
when the keys differ from the model's fields, in name or order, for either backend.
`tests/test_items.py` holds the values to the models, field for field, on both backends.
"""

from collections.abc import Sequence
from functools import cache
from typing import Any

from pydantic import BaseModel
from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    LargeBinary,
    Select,
    Text,
    case,
    cast,
    exists,
    func,
    literal_column,
    select,
    true,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import Function

from app.models import (
    Actor,
    Citation,
    Dispute,
    Event,
    EventActor,
    EventRelation,
    EventTag,
    Figure,
    Source,
)
from app.schemas import (
    CitationRead,
    DisputeRead,
    EventRead,
    EventRef,
    EventRelationRead,
    EventSummary,
    FigureRead,
    LocationRead,
    ParticipantRead,
    SourceRead,
)
from app.vocabulary import DEFAULT_LANGUAGE

DIALECTS = ("sqlite", "postgresql")

# The rows a nested array's subquery refers to from the subquery around it.
_OWNERS = (Figure, Dispute)
# The id of the event the JSON is for, written out: the expression is compiled on its own
# (`_compiled`), outside the SELECT over `event` it is used in, so nothing correlates it.
_EVENT_ID: ColumnElement[str] = literal_column("event.id", Text)


def _text(value: str) -> ColumnElement[str]:
    """A constant of the statement itself, not a parameter bound on every execution."""
    return literal_column(f"'{value}'")


def _int(value: int) -> ColumnElement[int]:
    """An integer constant of the statement, as `_text` for strings."""
    return literal_column(str(value))


class ShapeError(RuntimeError):
    """The SQL builds an object whose keys are not its response model's fields."""


def _object(dialect: str, model: type[BaseModel], *pairs: tuple[str, Any]) -> ColumnElement[Any]:
    """A JSON object of `pairs`, whose keys must be the fields of `model`, in order."""
    keys = [key for key, _ in pairs]
    fields = [field.alias or name for name, field in model.model_fields.items()]
    if keys != fields:
        missing = [f for f in fields if f not in keys]
        extra = [k for k in keys if k not in fields]
        raise ShapeError(
            f"{dialect}: the SQL builds {model.__name__} with keys {keys}, "
            f"not its fields {fields} (missing {missing}, unknown {extra})"
        )
    name = "json_build_object" if dialect == "postgresql" else "json_object"
    arguments = [part for key, value in pairs for part in (_text(key), value)]
    return getattr(func, name)(*arguments)  # type: ignore[no-any-return]


def _boolean(dialect: str, condition: ColumnElement[bool]) -> ColumnElement[Any]:
    """`condition` as a JSON boolean: SQLite has none, json('true') is the JSON literal."""
    if dialect == "postgresql":
        return condition
    return case((condition, func.json(_text("true"))), else_=func.json(_text("false")))


def _qualified(dialect: str, qualifier: str) -> ColumnElement[bool]:
    """Whether the event's start or end ends in the EDTF `qualifier` or in `%` (both).

    `%` is written as its character code: this SQL is compiled to text and embedded once
    more, and PostgreSQL's driver would read each escaped `%` as a placeholder.
    """
    percent = func.chr(_int(37)) if dialect == "postgresql" else func.char(_int(37))

    def last(column: Any) -> ColumnElement[bool]:
        value = func.coalesce(column, _text(""))
        return func.substr(value, func.length(value), _int(1)).in_([_text(qualifier), percent])

    return last(Event.start_date) | last(Event.end_date)


def _rows(value: Any, order: Sequence[Any], *where: Any) -> Select[Any]:
    """The elements of an array: `value`, then the keys that order them."""
    keys = [key.label(f"k{i}") for i, key in enumerate(order)]
    return select(value.label("value"), *keys).where(*where).correlate(*_OWNERS)


def _array(dialect: str, rows: Select[Any] | CompoundSelect[Any], *, objects: bool = False) -> Any:
    """A JSON array of `rows` (`_rows`), in the order of their keys; `[]` for none.

    `objects`: the elements are JSON objects, not strings.
    """
    listed = rows.subquery()
    keys = [column for column in listed.c if column.key != "value"]
    if dialect == "postgresql":
        aggregated = func.json_agg(aggregate_order_by(listed.c.value, *keys))
        array = select(func.coalesce(aggregated, literal_column("'[]'::json")))
    else:
        # SQLite 3.40 has no ORDER BY inside an aggregate; it keeps the order of a subquery.
        ordered = select(listed.c.value).order_by(*keys).subquery()
        # The JSON subtype does not survive a subquery: json() marks objects again.
        value = func.json(ordered.c.value) if objects else ordered.c.value
        array = select(func.json_group_array(value))
    return array.correlate(*_OWNERS).scalar_subquery()


def _summary(dialect: str, language: str) -> list[tuple[str, Any]]:
    """The `EventSummary` fields of the event row."""
    participant = _object(
        dialect,
        ParticipantRead,
        ("id", Actor.id),
        ("name", getattr(Actor, f"name_{language}")),
        ("kind", Actor.kind),
        ("role", EventActor.role),
    )
    actors = _rows(
        participant,
        [EventActor.position],
        EventActor.event_id == _EVENT_ID,
        EventActor.actor_id == Actor.id,
    )
    tags = _rows(EventTag.tag, [EventTag.tag], EventTag.event_id == _EVENT_ID)
    location = _object(
        dialect,
        LocationRead,
        ("place", Event.place),
        ("country", Event.country),
        ("latitude", Event.latitude),
        ("longitude", Event.longitude),
    )
    # A day written without X digits, else a month 01-12 (not XX, not a season 21-24).
    precision = case(
        (
            (func.length(Event.start_date) >= _int(10))
            & (func.substr(Event.start_date, _int(9), _int(2)) != _text("XX")),
            _text("day"),
        ),
        (
            (func.length(Event.start_date) >= _int(7))
            & func.substr(Event.start_date, _int(6), _int(2)).between(_text("01"), _text("12")),
            _text("month"),
        ),
        else_=_text("year"),
    )
    return [
        ("id", Event.id),
        ("url", _text("/events/") + Event.id),
        ("type", Event.type),
        ("title", getattr(Event, f"title_{language}")),
        ("summary", getattr(Event, f"summary_{language}")),
        ("start", Event.start_date),
        ("end", Event.end_date),
        ("precision", precision),
        ("earliest", Event.earliest_date),
        ("latest", Event.latest_date),
        ("uncertain", _boolean(dialect, _qualified(dialect, "?"))),
        ("approximate", _boolean(dialect, _qualified(dialect, "~"))),
        ("location", case((Event.place.is_(None), None), else_=location)),
        ("tags", _array(dialect, tags)),
        ("importance", Event.importance),
        ("disputed", _boolean(dialect, Event.disputed == true())),
        ("actors", _array(dialect, actors, objects=True)),
    ]


def _citations(dialect: str, owner: ColumnElement[bool]) -> Any:
    source = _object(
        dialect,
        SourceRead,
        ("id", Source.id),
        ("title", Source.title),
        ("publisher", Source.publisher),
        ("published", Source.published),
        ("language", Source.language),
        ("url", Source.url),
    )
    citation = _object(dialect, CitationRead, ("source", source), ("quote", Citation.quote))
    rows = _rows(citation, [Citation.position], owner, Citation.source_id == Source.id)
    return _array(dialect, rows, objects=True)


def _disputes(dialect: str, owner: ColumnElement[bool]) -> Any:
    dispute = _object(
        dialect,
        DisputeRead,
        ("note", Dispute.note),
        ("citations", _citations(dialect, Citation.dispute_id == Dispute.id)),
    )
    return _array(dialect, _rows(dispute, [Dispute.position], owner), objects=True)


def _figures(dialect: str, language: str) -> Any:
    figure = _object(
        dialect,
        FigureRead,
        ("measure", Figure.measure),
        ("value", Figure.value),
        ("qualifier", Figure.qualifier),
        ("unit", Figure.unit),
        ("as_of", Figure.as_of),
        ("description", getattr(Figure, f"description_{language}")),
        ("disputed", _boolean(dialect, exists().where(Dispute.figure_id == Figure.id))),
        ("disputes", _disputes(dialect, Dispute.figure_id == Figure.id)),
        ("citations", _citations(dialect, Citation.figure_id == Figure.id)),
    )
    rows = _rows(figure, [Figure.position], Figure.event_id == _EVENT_ID)
    return _array(dialect, rows, objects=True)


def _relations(dialect: str, language: str) -> Any:
    """Links to other events: outgoing ones first, each direction in its stored order."""
    other = aliased(Event)

    def relation(direction: str) -> ColumnElement[Any]:
        ref = _object(
            dialect,
            EventRef,
            ("id", other.id),
            ("title", getattr(other, f"title_{language}")),
            ("start", other.start_date),
        )
        return _object(
            dialect,
            EventRelationRead,
            ("type", EventRelation.type),
            ("direction", _text(direction)),
            ("event", ref),
        )

    outgoing = _rows(
        relation("outgoing"),
        [literal_column("0"), EventRelation.position],
        EventRelation.subject_id == _EVENT_ID,
        EventRelation.object_id == other.id,
    )
    incoming = _rows(
        relation("incoming"),
        [literal_column("1"), EventRelation.id],
        EventRelation.object_id == _EVENT_ID,
        EventRelation.subject_id == other.id,
    )
    return _array(dialect, outgoing.union_all(incoming), objects=True)


def _compiled(dialect: str, rendered: ColumnElement[Any], label: str) -> ColumnElement[bytes]:
    """`rendered` as UTF-8 bytes, compiled to SQL once.

    Bytes, not text: the response is bytes (and the driver would decode PostgreSQL's json
    into dicts). Compiled once, so SQLAlchemy does not walk the whole expression tree for a
    cache key on every execution.
    """
    dialects = {"postgresql": postgresql.dialect, "sqlite": sqlite.dialect}
    encoded: ColumnElement[bytes]
    if dialect == "postgresql":
        encoded = Function("convert_to", cast(rendered, Text), _text("UTF8"), type_=LargeBinary)
    else:
        encoded = cast(rendered, LargeBinary)
    sql = encoded.compile(dialect=dialects[dialect]())
    return literal_column(f"({sql})", LargeBinary).label(label)


def _summary_object(dialect: str, language: str) -> ColumnElement[Any]:
    return _object(dialect, EventSummary, *_summary(dialect, language))


def _full_object(dialect: str, language: str) -> ColumnElement[Any]:
    return _object(
        dialect,
        EventRead,
        *_summary(dialect, language),
        ("figures", _figures(dialect, language)),
        ("citations", _citations(dialect, Citation.event_id == _EVENT_ID)),
        ("disputes", _disputes(dialect, Dispute.event_id == _EVENT_ID)),
        ("relations", _relations(dialect, language)),
    )


def check_shapes() -> None:
    """Build every object for both backends; raise `ShapeError` where one is out of step."""
    models = (EventSummary, EventRead, ParticipantRead, LocationRead, EventRef)
    _check((*models, EventRelationRead, FigureRead, DisputeRead, CitationRead, SourceRead))


@cache
def _check(_models: tuple[type[BaseModel], ...]) -> None:
    """Once per set of models: each app of a process is built from the same ones."""
    for dialect in DIALECTS:
        _summary_object(dialect, DEFAULT_LANGUAGE.value)
        _full_object(dialect, DEFAULT_LANGUAGE.value)


@cache
def summary(dialect: str, language: str) -> ColumnElement[bytes]:
    """The JSON of an event as listed in `language`, for a SELECT over `event`."""
    return _compiled(dialect, _summary_object(dialect, language), "item")


@cache
def full(dialect: str, language: str) -> ColumnElement[bytes]:
    """The JSON of an event in full in `language`, for a SELECT over `event`."""
    return _compiled(dialect, _full_object(dialect, language), "event")
