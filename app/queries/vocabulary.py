"""The values a filter can name that the data holds: actor ids, tags and countries."""

from collections.abc import Sequence
from typing import Literal

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from app.models import Actor, Event, EventTag

Vocabulary = Literal["actor", "tag", "event_country", "actor_country"]

_COLUMNS = {
    "actor": type_coerce(Actor.id, String),
    "tag": type_coerce(EventTag.tag, String),
    "event_country": type_coerce(Event.country, String),
    "actor_country": type_coerce(Actor.country, String),
}


def missing_values(session: Session, vocabulary: Vocabulary, values: Sequence[str]) -> list[str]:
    """Those of `values` that no record holds, in the order given; one indexed lookup."""
    column = _COLUMNS[vocabulary]
    found = set(session.scalars(select(column).where(column.in_(values)).distinct()))
    return [value for value in values if value not in found]


def list_values(session: Session, vocabulary: Vocabulary) -> list[str]:
    """Every value the data holds, sorted: what a client could have meant."""
    column = _COLUMNS[vocabulary]
    return sorted(v for v in session.scalars(select(column).distinct()) if v is not None)
