"""Each event's list item in every language, rendered by the load (`app.models.EventItem`).

A list page then reads 50 stored objects instead of building them from the event, its tags,
its actors and their names. The items are rendered by the same SQL that pages use for an
event without one (`app.event_json.summary`), so the two cannot differ.
"""

from collections.abc import Collection, Iterator

from sqlalchemy import ColumnElement, delete, exists, insert, literal_column, select
from sqlalchemy.orm import Session

from app import event_json
from app.models import Event, EventActor, EventItem
from app.queries.common import dialect_of
from app.vocabulary import Language

_CHUNK = 5000  # ids per IN list


def _chunks(ids: Collection[str]) -> Iterator[list[str]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


def forget(session: Session, *, events: Collection[str], actors: Collection[str]) -> None:
    """Delete the items a load made stale: of the `events` it replaced, and of every event of
    the `actors` it replaced, whose names and kinds the items show."""
    stale = [EventItem.event_id.in_(chunk) for chunk in _chunks(events)]
    for chunk in _chunks(actors):
        named = select(EventActor.event_id).where(EventActor.actor_id.in_(chunk))
        stale.append(EventItem.event_id.in_(named))
    for condition in stale:
        session.execute(delete(EventItem).where(condition))


def render_missing(session: Session) -> None:
    """Render the item of every event, in every language, that has none.

    Into an empty table (a first load, or the first since the items came) every event is
    rendered without asking which have one.
    """
    dialect = dialect_of(session)
    empty = session.execute(select(EventItem.event_id).limit(1)).first() is None
    for language in Language:
        code: ColumnElement[str] = literal_column(f"'{language.value}'")
        rows = select(Event.id, code, event_json.summary(dialect, language.value))
        if not empty:
            held = exists().where(EventItem.event_id == Event.id, EventItem.language == code)
            rows = rows.where(~held)
        columns = ["event_id", "language", "json"]
        session.execute(insert(EventItem).from_select(columns, rows))
