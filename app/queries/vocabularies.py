"""Counts behind `/tags` and `/countries`: which values the filters can take, and how often."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Actor, Event, EventTag


def count_events_by_tag(session: Session) -> list[tuple[str, int]]:
    """Every tag with how many events carry it, most used first, then by tag."""
    count = func.count().label("count")
    statement = (
        select(EventTag.tag, count).group_by(EventTag.tag).order_by(count.desc(), EventTag.tag)
    )
    return [(str(tag), int(n)) for tag, n in session.execute(statement)]


def count_by_country(session: Session) -> dict[str, tuple[int, int]]:
    """Every country code events or actors carry, with (events, actors) counts."""
    found: dict[str, list[int]] = {}
    for position, column in enumerate((Event.country, Actor.country)):
        statement = select(column, func.count()).where(column.is_not(None)).group_by(column)
        for code, n in session.execute(statement):
            found.setdefault(str(code), [0, 0])[position] = int(n)
    return {code: (events, actors) for code, (events, actors) in found.items()}
