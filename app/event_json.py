"""Events as JSON built by the database: list items (`EventSummary`) and full events (`EventRead`).

Built in Python, a page turns hundreds of rows (events, their actors, their tags) into
dicts under the GIL, and a full event takes a query per relation through the ORM; the
database's own JSON functions (SQLite's JSON1, PostgreSQL's json) build the same objects
in C within one statement, and the API only joins the bytes. `tests/test_items.py` holds
both to the serializers, field for field and in order, on both backends.
"""

from collections.abc import Sequence
from functools import cache
from typing import Any

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

# The rows a nested array's subquery refers to from the subquery around it.
_OWNERS = (Figure, Dispute)
# The id of the event the JSON is for, written out: the expression is compiled on its own
# (`_compiled`), outside the SELECT over `event` it is used in, so nothing correlates it.
_EVENT_ID: ColumnElement[str] = literal_column("event.id", Text)


def _text(value: str) -> ColumnElement[str]:
    """A constant of the statement itself, not a parameter bound on every execution."""
    return literal_column(f"'{value}'")


def _object(dialect: str, *pairs: tuple[str, Any]) -> ColumnElement[Any]:
    name = "json_build_object" if dialect == "postgresql" else "json_object"
    arguments = [part for key, value in pairs for part in (_text(key), value)]
    return getattr(func, name)(*arguments)  # type: ignore[no-any-return]


def _boolean(dialect: str, condition: ColumnElement[bool]) -> ColumnElement[Any]:
    """`condition` as a JSON boolean: SQLite has none, json('true') is the JSON literal."""
    if dialect == "postgresql":
        return condition
    return case((condition, func.json(_text("true"))), else_=func.json(_text("false")))


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
        ("place", Event.place),
        ("country", Event.country),
        ("latitude", Event.latitude),
        ("longitude", Event.longitude),
    )
    precision = case(
        (func.length(Event.start_date) == literal_column("4"), _text("year")),
        (func.length(Event.start_date) == literal_column("7"), _text("month")),
        else_=_text("day"),
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
        ("location", case((Event.place.is_(None), None), else_=location)),
        ("tags", _array(dialect, tags)),
        ("importance", Event.importance),
        ("disputed", _boolean(dialect, Event.disputed == true())),
        ("actors", _array(dialect, actors, objects=True)),
    ]


def _citations(dialect: str, owner: ColumnElement[bool]) -> Any:
    source = _object(
        dialect,
        ("id", Source.id),
        ("title", Source.title),
        ("publisher", Source.publisher),
        ("published", Source.published),
        ("language", Source.language),
        ("url", Source.url),
    )
    citation = _object(dialect, ("source", source), ("quote", Citation.quote))
    rows = _rows(citation, [Citation.position], owner, Citation.source_id == Source.id)
    return _array(dialect, rows, objects=True)


def _disputes(dialect: str, owner: ColumnElement[bool]) -> Any:
    dispute = _object(
        dialect,
        ("note", Dispute.note),
        ("citations", _citations(dialect, Citation.dispute_id == Dispute.id)),
    )
    return _array(dialect, _rows(dispute, [Dispute.position], owner), objects=True)


def _figures(dialect: str, language: str) -> Any:
    figure = _object(
        dialect,
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
            ("id", other.id),
            ("title", getattr(other, f"title_{language}")),
            ("start", other.start_date),
        )
        return _object(
            dialect,
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

    Bytes, not text: the response is bytes, and decoding every item into a Python string
    only to encode it again cost more than joining them. (The driver would also decode
    PostgreSQL's json into dicts.) Compiled once: as an expression tree, SQLAlchemy would
    walk all of it for a cache key on every execution, which costs a third of a page.
    """
    dialects = {"postgresql": postgresql.dialect, "sqlite": sqlite.dialect}
    encoded: ColumnElement[bytes]
    if dialect == "postgresql":
        encoded = Function("convert_to", cast(rendered, Text), _text("UTF8"), type_=LargeBinary)
    else:
        encoded = cast(rendered, LargeBinary)
    sql = encoded.compile(dialect=dialects[dialect]())
    return literal_column(f"({sql})", LargeBinary).label(label)


@cache
def summary(dialect: str, language: str) -> ColumnElement[bytes]:
    """The JSON of an event as listed in `language`, for a SELECT over `event`."""
    return _compiled(dialect, _object(dialect, *_summary(dialect, language)), "item")


@cache
def full(dialect: str, language: str) -> ColumnElement[bytes]:
    """The JSON of an event in full in `language`, for a SELECT over `event`."""
    rendered = _object(
        dialect,
        *_summary(dialect, language),
        ("figures", _figures(dialect, language)),
        ("citations", _citations(dialect, Citation.event_id == _EVENT_ID)),
        ("disputes", _disputes(dialect, Dispute.event_id == _EVENT_ID)),
        ("relations", _relations(dialect, language)),
    )
    return _compiled(dialect, rendered, "event")
