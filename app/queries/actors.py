"""Every SELECT on actors: filtering, id order and keyset paging, in SQL."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import ColumnElement, bindparam, literal, select, tuple_
from sqlalchemy.orm import Session, selectinload

from app import search
from app.models import Actor, ActorRelation, Citation
from app.queries.common import Page, dialect_of, totals
from app.queries.releases import changed_after


@dataclass(frozen=True)
class ActorFilter:
    """What `/actors` filters on: values of one filter are OR-ed, filters are AND-ed."""

    kinds: Sequence[str] = ()
    countries: Sequence[str] = ()
    text: str | None = None
    changed_since: int | None = None  # only actors a release after this one changed

    def conditions(self, dialect: str) -> list[ColumnElement[bool]]:
        """The WHERE conditions that express this filter on `dialect`."""
        conditions: list[ColumnElement[bool]] = []
        if self.kinds:
            conditions.append(Actor.kind.in_(self.kinds))
        if self.changed_since is not None:
            conditions.append(Actor.id.in_(changed_after("actor", self.changed_since)))
        if self.countries:
            conditions.append(Actor.country.in_(self.countries))
        if self.text:
            conditions.append(search.matches("actor", dialect, self.text))
        return conditions


@dataclass(frozen=True)
class ActorKey:
    """Where a page of actors starts: after this id, in this tier when ranked by text."""

    id: str
    tier: int | None = None


class RankedActor(NamedTuple):
    """An actor as a list shows it, with its tier when the list is ranked by text."""

    actor: Actor
    tier: int | None

    @property
    def key(self) -> ActorKey:
        """The position after this actor."""
        return ActorKey(self.actor.id, self.tier)


def _actor_page(
    session: Session, filters: ActorFilter, after: ActorKey | None, limit: int
) -> list[RankedActor]:
    """Actors in id order or, searched by text, by tier (`search.rank`) and then id."""
    conditions = filters.conditions(dialect_of(session))
    if not filters.text:
        if after is not None:
            conditions.append(Actor.id > after.id)
        statement = select(Actor).where(*conditions).order_by(Actor.id).limit(limit)
        return [RankedActor(actor, None) for actor in session.scalars(statement)]
    tier = search.rank(Actor.search_names, len(search.words(filters.text)))
    if after is not None:
        conditions.append(tuple_(tier, Actor.id) > tuple_(literal(after.tier), literal(after.id)))
    ranked = select(Actor, tier).where(*conditions).order_by(tier, Actor.id).limit(limit)
    rows = session.execute(ranked, search.rank_values(filters.text))
    return [RankedActor(actor, found) for actor, found in rows]


def list_actors(
    session: Session, filters: ActorFilter, *, after: ActorKey | None = None, limit: int = 50
) -> Page[RankedActor]:
    """One keyset page of the actors that match `filters`: in id order, or by relevance
    (`search.rank`) when they name a text."""
    conditions = filters.conditions(dialect_of(session))
    total = totals.count(session, filters, select(Actor).where(*conditions))
    rows = _actor_page(session, filters, after, limit + 1)
    return Page(rows=rows[:limit], total=total, has_more=len(rows) > limit)


def iter_actors(session: Session, filters: ActorFilter, *, chunk: int = 1000) -> Iterator[Actor]:
    """Every actor that matches `filters`, a chunk at a time, in the order of `list_actors`."""
    after = None
    while True:
        rows = _actor_page(session, filters, after, chunk)
        session.close()  # no connection is held while the caller renders and sends
        yield from (row.actor for row in rows)
        if len(rows) < chunk:
            return
        after = rows[-1].key


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


_ACTOR_ID = select(Actor.id).where(Actor.id == bindparam("id"))


def actor_exists(session: Session, actor_id: str) -> bool:
    """Whether an actor with this id exists."""
    found = session.connection().execute(_ACTOR_ID, {"id": actor_id}).first()
    return found is not None
