"""Every SELECT on actors: filtering, id order and keyset paging, in SQL."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, bindparam, select
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


def _actor_page(
    session: Session, conditions: list[ColumnElement[bool]], after: str | None, limit: int
) -> Sequence[Actor]:
    if after is not None:
        conditions = [*conditions, Actor.id > after]
    return session.scalars(select(Actor).where(*conditions).order_by(Actor.id).limit(limit)).all()


def list_actors(
    session: Session, filters: ActorFilter, *, after: str | None = None, limit: int = 50
) -> Page[Actor]:
    """One keyset page of the actors that match `filters`, in id order."""
    conditions = filters.conditions(dialect_of(session))
    total = totals.count(session, filters, select(Actor).where(*conditions))
    rows = _actor_page(session, conditions, after, limit + 1)
    return Page(rows=rows[:limit], total=total, has_more=len(rows) > limit)


def iter_actors(session: Session, filters: ActorFilter, *, chunk: int = 1000) -> Iterator[Actor]:
    """Every actor that matches `filters`, a chunk at a time."""
    conditions = filters.conditions(dialect_of(session))
    after = None
    while True:
        rows = _actor_page(session, conditions, after, chunk)
        session.close()  # no connection is held while the caller renders and sends
        yield from rows
        if len(rows) < chunk:
            return
        after = rows[-1].id


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
