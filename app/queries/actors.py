"""Every SELECT on actors: filtering, id order and keyset paging, in SQL."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from sqlalchemy import ColumnElement, bindparam, literal, select, tuple_
from sqlalchemy.orm import Session, selectinload

from app import search
from app.models import Actor, ActorRelation, Citation
from app.queries.common import Page, dialect_of, totals
from app.queries.releases import changed, changed_after, unchanged_after


@dataclass(frozen=True)
class ActorFilter:
    """What `/actors` filters on: values of one filter are OR-ed, filters are AND-ed."""

    kinds: Sequence[str] = ()
    countries: Sequence[str] = ()
    text: str | None = None
    changed_since: int | None = None  # only actors a release after this one changed
    pinned: int | None = None  # only actors no release after this one changed (`app.overlay`)
    overlay: bool = False  # only the actors an overlay answers for

    def conditions(self, dialect: str) -> list[ColumnElement[bool]]:
        """The WHERE conditions that express this filter on `dialect`."""
        conditions: list[ColumnElement[bool]] = []
        if self.kinds:
            conditions.append(Actor.kind.in_(self.kinds))
        if self.changed_since is not None:
            conditions.append(Actor.id.in_(changed_after("actor", self.changed_since)))
        if self.pinned is not None:
            conditions.append(unchanged_after("actor", Actor.id, self.pinned))
        if self.overlay:
            conditions.append(changed("actor", Actor.id, 0))
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
    session: Session,
    filters: ActorFilter,
    *,
    after: ActorKey | None = None,
    limit: int = 50,
    overlay: Session | None = None,
) -> Page[RankedActor]:
    """One keyset page of the actors that match `filters`: in id order, or by relevance
    (`search.rank`) when they name a text; a pinned read (`filters.pinned`) merges it with
    the same page of the `overlay`."""
    conditions = filters.conditions(dialect_of(session))
    total = totals.count(session, filters, select(Actor).where(*conditions))
    rows = _actor_page(session, filters, after, limit + 1)
    if overlay is not None:
        other = replace(filters, pinned=None, overlay=True)
        more = other.conditions(dialect_of(overlay))
        total += totals.count(overlay, other, select(Actor).where(*more))
        rows = sorted([*rows, *_actor_page(overlay, other, after, limit + 1)], key=_in_order)
    return Page(rows=rows[:limit], total=total, has_more=len(rows) > limit)


def _in_order(row: RankedActor) -> tuple[int, str]:
    return (-1 if row.tier is None else row.tier, row.actor.id)


def iter_actors(
    session: Session,
    filters: ActorFilter,
    *,
    chunk: int = 1000,
    overlay: Session | None = None,
) -> Iterator[Actor]:
    """Every actor that matches `filters` (merged with the `overlay`'s), a chunk at a time,
    in the order of `list_actors`."""
    after = None
    while True:
        page = list_actors(session, filters, after=after, limit=chunk, overlay=overlay)
        for opened in (session, overlay):
            if opened is not None:
                opened.close()  # no connection is held while the caller renders and sends
        yield from (row.actor for row in page.rows)
        if not page.has_more:
            return
        after = page.rows[-1].key


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
_PINNED_ACTOR_ID = _ACTOR_ID.where(unchanged_after("actor", Actor.id, bindparam("pinned")))


def actor_exists(session: Session, actor_id: str, *, pinned: int | None = None) -> bool:
    """Whether an actor with this id exists; `pinned`: and no release after that one
    changed it."""
    if pinned is None:
        found = session.connection().execute(_ACTOR_ID, {"id": actor_id}).first()
    else:
        values = {"id": actor_id, "pinned": pinned}
        found = session.connection().execute(_PINNED_ACTOR_ID, values).first()
    return found is not None
