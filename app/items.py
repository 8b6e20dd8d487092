"""Event list items as JSON built by the database, in the `EventSummary` shape.

A page built in Python turns hundreds of rows (events, their actors, their tags) into
dicts under the GIL; the database's own JSON functions (SQLite's JSON1, PostgreSQL's json)
build the same objects in C within the page's one statement, and the API joins the texts.
`tests/test_items.py` holds the result to `serializers.event_summary`, field for field.
"""

from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Text, case, cast, func, literal_column, select, true
from sqlalchemy.dialects.postgresql import aggregate_order_by

from app.models import Actor, Event, EventActor, EventTag


def _text(value: str) -> ColumnElement[str]:
    """A constant of the statement itself, not a parameter bound on every execution."""
    return literal_column(f"'{value}'")


def _object(dialect: str, *pairs: tuple[str, Any]) -> ColumnElement[Any]:
    name = "json_build_object" if dialect == "postgresql" else "json_object"
    arguments = [part for key, value in pairs for part in (_text(key), value)]
    return getattr(func, name)(*arguments)  # type: ignore[no-any-return]


def _array(dialect: str, element: Any, order: Any, *where: Any, objects: bool = False) -> Any:
    """A JSON array of `element` over the rows `where` selects, in `order`; `[]` for none.

    `objects`: the elements are JSON objects, not strings.
    """
    if dialect == "postgresql":
        aggregated = func.json_agg(aggregate_order_by(element, order))
        array = select(func.coalesce(aggregated, literal_column("'[]'::json"))).where(*where)
    else:
        # SQLite 3.40 has no ORDER BY inside an aggregate; it keeps the order of a subquery.
        rows = select(element.label("value")).where(*where).order_by(order)
        ordered = rows.correlate(Event).subquery()
        # The JSON subtype does not survive the subquery: json() marks objects again.
        value = func.json(ordered.c.value) if objects else ordered.c.value
        array = select(func.json_group_array(value))
    return array.correlate(Event).scalar_subquery()


@cache
def item(dialect: str, language: str) -> ColumnElement[Any]:
    """The JSON text of an event as listed in `language`, for a SELECT over `event`."""
    name = getattr(Actor, f"name_{language}")
    participant = _object(
        dialect,
        ("id", Actor.id),
        ("name", name),
        ("kind", Actor.kind),
        ("role", EventActor.role),
    )
    actors = _array(
        dialect,
        participant,
        EventActor.position,
        EventActor.event_id == Event.id,
        EventActor.actor_id == Actor.id,
        objects=True,
    )
    tags = _array(dialect, EventTag.tag, EventTag.tag, EventTag.event_id == Event.id)
    location = _object(
        dialect,
        ("place", Event.place),
        ("country", Event.country),
        ("latitude", Event.latitude),
        ("longitude", Event.longitude),
    )
    disputed: Any = Event.disputed
    if dialect != "postgresql":  # SQLite stores 0/1; json('true') is the JSON literal
        disputed = case(
            (Event.disputed == true(), func.json(_text("true"))), else_=func.json(_text("false"))
        )
    precision = case(
        (func.length(Event.start_date) == literal_column("4"), _text("year")),
        (func.length(Event.start_date) == literal_column("7"), _text("month")),
        else_=_text("day"),
    )
    rendered = _object(
        dialect,
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
        ("tags", tags),
        ("importance", Event.importance),
        ("disputed", disputed),
        ("actors", actors),
    )
    # As text: the driver would decode PostgreSQL's json into dicts.
    return cast(rendered, Text).label("item")
