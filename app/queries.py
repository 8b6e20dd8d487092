"""Every SELECT the API runs: filtering, ordering and keyset paging happen in SQL."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload

from app.models import (
    Actor,
    ActorRelation,
    Citation,
    Dispute,
    Event,
    EventActor,
    EventRelation,
    EventTag,
    Figure,
)
from app.text import search_words

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """Rows of one page, how many rows match in all, and whether more follow."""

    rows: Sequence[T]
    total: int
    has_more: bool


@dataclass(frozen=True)
class EventKey:
    """Where a page of events starts: after this (earliest date, id)."""

    earliest: str
    id: str


def _text_match(column: InstrumentedAttribute[str], query: str | None) -> list[ColumnElement[bool]]:
    """Conditions that every folded word of `query` occurs in `column`."""
    if not query:
        return []
    return [column.contains(word, autoescape=True) for word in search_words(query)]


def _count(session: Session, statement: Select[Any]) -> int:
    counted = select(func.count()).select_from(statement.order_by(None).subquery())
    return session.scalar(counted) or 0


def list_events(
    session: Session,
    *,
    earliest: str | None = None,
    latest: str | None = None,
    types: Sequence[str] = (),
    actors: Sequence[str] = (),
    within_actor: str | None = None,
    countries: Sequence[str] = (),
    tags: Sequence[str] = (),
    importance: Sequence[int] = (),
    text: str | None = None,
    descending: bool = False,
    after: EventKey | None = None,
    limit: int = 50,
) -> Page[Event]:
    """Events overlapping [earliest, latest] that match every filter, one keyset page.

    Values of one filter are OR-ed, filters are AND-ed; `within_actor` adds a second actor
    condition for `/actors/{id}/events`.
    """
    conditions: list[ColumnElement[bool]] = []
    if earliest is not None:
        conditions.append(Event.latest_date >= earliest)
    if latest is not None:
        conditions.append(Event.earliest_date <= latest)
    if types:
        conditions.append(Event.type.in_(types))
    if countries:
        conditions.append(Event.country.in_(countries))
    if importance:
        conditions.append(Event.importance.in_(importance))
    for actor_ids in (actors, [within_actor] if within_actor else []):
        if actor_ids:
            involved = select(EventActor.event_id).where(EventActor.actor_id.in_(actor_ids))
            conditions.append(Event.id.in_(involved))
    if tags:
        tagged = select(EventTag.event_id).where(EventTag.tag.in_(tags))
        conditions.append(Event.id.in_(tagged))
    conditions.extend(_text_match(Event.search_text, text))

    matching = select(Event).where(*conditions)
    total = _count(session, matching)

    if after is not None:
        if descending:
            conditions.append(
                or_(
                    Event.earliest_date < after.earliest,
                    and_(Event.earliest_date == after.earliest, Event.id < after.id),
                )
            )
        else:
            conditions.append(
                or_(
                    Event.earliest_date > after.earliest,
                    and_(Event.earliest_date == after.earliest, Event.id > after.id),
                )
            )
    order = (
        (Event.earliest_date.desc(), Event.id.desc())
        if descending
        else (Event.earliest_date, Event.id)
    )
    statement = (
        select(Event)
        .where(*conditions)
        .order_by(*order)
        .limit(limit + 1)
        .options(
            selectinload(Event.actors).selectinload(EventActor.actor),
            selectinload(Event.tags),
        )
    )
    rows = session.scalars(statement).all()
    return Page(rows=rows[:limit], total=total, has_more=len(rows) > limit)


def get_event(session: Session, event_id: str) -> Event | None:
    """One event with everything its full representation shows."""
    cited = selectinload(Citation.source)
    statement = (
        select(Event)
        .where(Event.id == event_id)
        .options(
            selectinload(Event.actors).selectinload(EventActor.actor),
            selectinload(Event.tags),
            selectinload(Event.citations).options(cited),
            selectinload(Event.disputes).selectinload(Dispute.citations).options(cited),
            selectinload(Event.figures).options(
                selectinload(Figure.citations).options(cited),
                selectinload(Figure.disputes).selectinload(Dispute.citations).options(cited),
            ),
            selectinload(Event.outgoing).selectinload(EventRelation.object),
            selectinload(Event.incoming).selectinload(EventRelation.subject),
        )
    )
    return session.scalars(statement).one_or_none()


def event_exists(session: Session, event_id: str) -> bool:
    """Whether an event with this id exists."""
    return session.scalar(select(func.count()).where(Event.id == event_id)) == 1


def list_actors(
    session: Session,
    *,
    kinds: Sequence[str] = (),
    countries: Sequence[str] = (),
    text: str | None = None,
    after: str | None = None,
    limit: int = 50,
) -> Page[Actor]:
    """Actors matching every filter, ordered by id, one keyset page."""
    conditions: list[ColumnElement[bool]] = []
    if kinds:
        conditions.append(Actor.kind.in_(kinds))
    if countries:
        conditions.append(Actor.country.in_(countries))
    conditions.extend(_text_match(Actor.search_text, text))
    total = _count(session, select(Actor).where(*conditions))
    if after is not None:
        conditions.append(Actor.id > after)
    statement = select(Actor).where(*conditions).order_by(Actor.id).limit(limit + 1)
    rows = session.scalars(statement).all()
    return Page(rows=rows[:limit], total=total, has_more=len(rows) > limit)


def get_actor(session: Session, actor_id: str) -> Actor | None:
    """One actor with its citations and its relations in both directions."""
    cited = selectinload(Citation.source)
    statement = (
        select(Actor)
        .where(Actor.id == actor_id)
        .options(
            selectinload(Actor.citations).options(cited),
            selectinload(Actor.outgoing).options(
                selectinload(ActorRelation.object),
                selectinload(ActorRelation.citations).options(cited),
            ),
            selectinload(Actor.incoming).options(
                selectinload(ActorRelation.subject),
                selectinload(ActorRelation.citations).options(cited),
            ),
        )
    )
    return session.scalars(statement).one_or_none()


def actor_exists(session: Session, actor_id: str) -> bool:
    """Whether an actor with this id exists."""
    return session.scalar(select(func.count()).where(Actor.id == actor_id)) == 1


def count_events_by_type(session: Session) -> dict[str, int]:
    """How many events each type has."""
    rows = session.execute(select(Event.type, func.count()).group_by(Event.type))
    return {str(row[0]): int(row[1]) for row in rows}


def count_events(session: Session) -> int:
    """How many events there are; also proves the database answers."""
    return session.scalar(select(func.count()).select_from(Event)) or 0
