"""Counts behind `/tags` and `/countries`: which values the filters can take, and how often."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Actor, Event, EventTag
from app.queries.releases import in_scope


def count_events_by_tag(
    session: Session, *, pinned: int | None = None, overlay: bool = False
) -> dict[str, int]:
    """Every tag with how many events carry it (of a pinned read's scope, `in_scope`)."""
    scope = in_scope("event", EventTag.event_id, pinned=pinned, overlay=overlay)
    statement = select(EventTag.tag, func.count()).where(*scope).group_by(EventTag.tag)
    return {str(tag): int(n) for tag, n in session.execute(statement)}


def count_by_country(
    session: Session, *, pinned: int | None = None, overlay: bool = False
) -> dict[str, tuple[int, int]]:
    """Every country code events or actors carry, with (events, actors) counts."""
    found: dict[str, list[int]] = {}
    for position, (kind, column, key) in enumerate(
        (("event", Event.country, Event.id), ("actor", Actor.country, Actor.id))
    ):
        scope = in_scope(kind, key, pinned=pinned, overlay=overlay)
        statement = select(column, func.count()).where(column.is_not(None), *scope)
        statement = statement.group_by(column)
        for code, n in session.execute(statement):
            found.setdefault(str(code), [0, 0])[position] = int(n)
    return {code: (events, actors) for code, (events, actors) in found.items()}
