"""Counts behind `/tags` and `/countries`: which values the filters can take, and how often."""

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Actor, Event, EventTag
from app.queries.releases import in_scope


def count_events_by_tag(
    session: Session, *, otherwise: int | None = None, overlay: bool = False
) -> Counter[str]:
    """Every tag with how many events carry it (of those `in_scope` keeps)."""
    scope = in_scope("event", EventTag.event_id, otherwise=otherwise, overlay=overlay)
    statement = select(EventTag.tag, func.count()).where(*scope).group_by(EventTag.tag)
    return Counter({str(tag): int(n) for tag, n in session.execute(statement)})


def count_by_country(
    session: Session, *, otherwise: int | None = None, overlay: bool = False
) -> Counter[tuple[str, str]]:
    """How many events and actors (of those `in_scope` keeps) carry each country code, by
    (code, kind)."""
    found: Counter[tuple[str, str]] = Counter()
    tables = (("event", Event.country, Event.id), ("actor", Actor.country, Actor.id))
    for kind, column, key in tables:
        scope = in_scope(kind, key, otherwise=otherwise, overlay=overlay)
        statement = select(column, func.count()).where(column.is_not(None), *scope)
        for code, n in session.execute(statement.group_by(column)):
            found[str(code), kind] = int(n)
    return found
