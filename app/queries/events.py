"""Every SELECT on events: filtering, date order and keyset paging, in SQL."""

from collections import Counter
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    bindparam,
    false,
    func,
    literal_column,
    select,
    tuple_,
)
from sqlalchemy.orm import Session, selectinload

from app import event_json, search
from app.models import (
    Citation,
    Dispute,
    Event,
    EventActor,
    EventItem,
    EventRelation,
    EventTag,
    Figure,
)
from app.queries.common import (
    DATA_VERSION,
    AnySelect,
    DataVersion,
    Page,
    count_of,
    dialect_of,
    get_dataset,
    remember_dataset,
    totals,
)
from app.queries.releases import (
    changed,
    changed_after,
    count_changes_after,
    in_scope,
    reading_otherwise,
    unchanged_after,
)


@dataclass(frozen=True)
class EventKey:
    """Where a page of events starts: after this (earliest date, id), in this tier when
    ranked by relevance (`search.rank`)."""

    earliest: str
    id: str
    tier: int | None = None


# How long `start_date` is at each precision: `2013`, `2020-03`, `2021-05-24`.
PRECISION_LENGTHS = {"year": 4, "month": 7, "day": 10}


@dataclass(frozen=True)
class EventFilter:
    """What `/events` filters on: values of one filter are OR-ed, filters are AND-ed.

    `earliest`/`latest` bound the period an event must overlap, or with `within` lie in;
    `within_actor` adds a second actor condition for `/actors/{id}/events`.
    """

    earliest: str | None = None
    latest: str | None = None
    within: bool = False
    types: Sequence[str] = ()
    actors: Sequence[str] = ()
    within_actor: str | None = None
    countries: Sequence[str] = ()
    tags: Sequence[str] = ()
    importance: Sequence[int] = ()
    text: str | None = None
    roles: Sequence[str] = ()
    disputed: bool | None = None
    precisions: Sequence[str] = ()
    starts_in: str | None = None
    changed_since: int | None = None  # only events a release after this one changed
    # Pinned reads (`app.overlay`): on the current tables, only the events no release after
    # `pinned` changed; on an overlay, only the events it answers for.
    pinned: int | None = None
    overlay: bool = False
    # To count a pinned read's share of the current tables without probing every row: only
    # the events that read otherwise at this release, counted to be subtracted.
    otherwise: int | None = None

    def parameters(self, dialect: str, longest_event_days: int | None) -> dict[str, Any]:
        """The values of the filters that are set, by the names their conditions bind.

        The names alone decide the statement (`_conditions`), so it is built once per
        combination of filters. Knowing how long the longest event lasts bounds
        `earliest_date` from below as well (`earliest_floor`), which turns a period filter
        into a range of the date index. A text with no word in it is `no_words`, a name
        with no value to bind: it matches nothing.
        """
        values: dict[str, Any] = {}
        if self.earliest is not None:
            values["within_earliest" if self.within else "earliest"] = self.earliest
            # An open or unknown end makes the longest event outlast the calendar: no floor.
            if longest_event_days is not None and not self.within:
                with suppress(OverflowError):
                    start = date.fromisoformat(self.earliest) - timedelta(days=longest_event_days)
                    values["earliest_floor"] = start.isoformat()
        if self.latest is not None:
            values["latest"] = self.latest
            if self.within:
                values["within_latest"] = self.latest
        for name in ("types", "actors", "countries", "tags", "importance", "roles"):
            if chosen := getattr(self, name):
                values[name] = list(chosen)
        if self.disputed is not None:
            values["disputed"] = self.disputed
        if self.precisions:
            values["precision_lengths"] = sorted(PRECISION_LENGTHS[p] for p in self.precisions)
        if self.starts_in is not None:
            values["starts_from"] = self.starts_in
            values["starts_before"] = self.starts_in + "~~"
        if self.within_actor is not None:
            values["within_actor"] = self.within_actor
        if self.changed_since is not None:
            values["changed_since"] = self.changed_since
        if self.pinned is not None:
            values["pinned"] = self.pinned
        if self.otherwise is not None:
            values["otherwise"] = self.otherwise
        if self.overlay:
            values["overlay"] = 0
        if self.text is not None:
            terms = search.terms(dialect, self.text)
            values.update({"terms": terms} if terms else {"no_words": True})
        return values


@lru_cache(maxsize=256)
def _conditions(dialect: str, names: frozenset[str]) -> tuple[ColumnElement[bool], ...]:
    """The WHERE conditions for the filters named (`EventFilter.parameters`), values bound."""
    conditions: list[ColumnElement[bool]] = []
    if "earliest" in names:
        conditions.append(Event.latest_date >= bindparam("earliest"))
    if "earliest_floor" in names:
        conditions.append(Event.earliest_date >= bindparam("earliest_floor"))
    if "latest" in names:
        conditions.append(Event.earliest_date <= bindparam("latest"))
    if "within_earliest" in names:
        conditions.append(Event.earliest_date >= bindparam("within_earliest"))
    if "within_latest" in names:
        conditions.append(Event.latest_date <= bindparam("within_latest"))
    for name, column in (
        ("types", Event.type),
        ("countries", Event.country),
        ("importance", Event.importance),
    ):
        if name in names:
            conditions.append(column.in_(bindparam(name, expanding=True)))
    for name, actors in (
        ("actors", bindparam("actors", expanding=True)),
        ("within_actor", [bindparam("within_actor")]),
    ):
        if name in names:
            involved = select(EventActor.event_id).where(EventActor.actor_id.in_(actors))
            conditions.append(Event.id.in_(involved))
    if "roles" in names:
        playing = select(EventActor.event_id).where(
            EventActor.role.in_(bindparam("roles", expanding=True))
        )
        conditions.append(Event.id.in_(playing))
    if "disputed" in names:
        conditions.append(Event.disputed == bindparam("disputed"))
    if "precision_lengths" in names:
        lengths: BindParameter[list[int]] = bindparam("precision_lengths", expanding=True)
        # The length of the date without an EDTF qualifier (`2021-12~` is known to the month).
        written = func.rtrim(Event.start_date, "?~%")
        conditions.append(func.length(written).in_(lengths))
    if "starts_from" in names:
        # The starts with `starts_in` as prefix: known to lie in its period, at least as
        # precisely. `~~` sorts after every digit, `-` and an EDTF qualifier (`2021-12~`
        # included); `2021` sorts before `2021-05`.
        conditions.append(Event.start_date >= bindparam("starts_from"))
        conditions.append(Event.start_date < bindparam("starts_before"))
    if "tags" in names:
        tagged = select(EventTag.event_id).where(
            EventTag.tag.in_(bindparam("tags", expanding=True))
        )
        conditions.append(Event.id.in_(tagged))
    if "changed_since" in names:
        conditions.append(Event.id.in_(changed_after("event", bindparam("changed_since"))))
    conditions += _scope(names, Event.id)
    if "terms" in names:
        conditions.append(search.condition("event", dialect))
    if "no_words" in names:
        conditions.append(false())
    return tuple(conditions)


def _scope(names: frozenset[str], event_id: Any) -> list[ColumnElement[bool]]:
    """What keeps, of the events `event_id` names, those of a pinned read's share: on the
    current tables those that read as at the release (`pinned`) or, to count them, those
    that do not (`otherwise`); on an overlay, those it answers for (`overlay`)."""
    conditions = []
    if "pinned" in names:
        conditions.append(unchanged_after("event", event_id, bindparam("pinned")))
    if "otherwise" in names:
        conditions.append(event_id.in_(reading_otherwise("event", bindparam("otherwise"))))
    if "overlay" in names:
        conditions.append(changed("event", event_id, bindparam("overlay")))
    return conditions


# Page order: (earliest date, id), of the events or, for one actor's, of its `event_actor` rows.
_EVENT_ORDER = (Event.earliest_date, Event.id)
_ACTOR_ORDER = (EventActor.earliest_date, EventActor.event_id)


def _after(descending: bool, order: tuple[Any, Any] = _EVENT_ORDER) -> ColumnElement[bool]:
    """Rows strictly after the key bound as `after_earliest`, `after_id`, in page order.

    A row-value comparison, which both backends turn into a seek on the date index; the
    equivalent OR of two conditions made SQLite scan the index from its start.
    """
    position = tuple_(*order)
    key = tuple_(bindparam("after_earliest"), bindparam("after_id"))
    return position < key if descending else position > key


@dataclass(frozen=True)
class EventListing:
    """An event as a list shows it: its JSON (`event_json.summary`) and its place in the
    order, with its tier when ranked by relevance."""

    earliest: str
    id: str
    json: bytes
    tier: int | None = None


def _order(descending: bool, order: tuple[Any, Any] = _EVENT_ORDER) -> tuple[Any, ...]:
    return tuple(column.desc() for column in order) if descending else order


def _ranked_after(tier: ColumnElement[int]) -> ColumnElement[bool]:
    """Rows after the key bound as `after_tier`, `after_earliest`, `after_id`, by relevance."""
    key = tuple_(bindparam("after_tier"), bindparam("after_earliest"), bindparam("after_id"))
    return tuple_(tier, *_EVENT_ORDER) > key


def _one_actor(filters: EventFilter) -> str | None:
    """The actor whose events `filters` asks for, when that is all it asks (of a pinned
    read's share, `_scope`, or not)."""
    named = {*filters.actors, *([filters.within_actor] if filters.within_actor else [])}
    others: list[object] = [filters.earliest, filters.latest, filters.types, filters.countries]
    others += [filters.tags, filters.importance, filters.roles, filters.precisions]
    others += [filters.starts_in, filters.text is not None, filters.disputed is not None]
    others += [filters.changed_since is not None]
    alone = not any(others)
    return named.pop() if len(named) == 1 and alone else None


# The name that makes a statement one actor's (`_one_actor`), with those of its `_scope`.
_ONE_ACTOR = "actor"
_ACTOR_EVENTS: Select[str, str] = select(EventActor.earliest_date, EventActor.event_id).where(
    EventActor.actor_id == bindparam(_ONE_ACTOR)
)


def _actor_events(names: frozenset[str]) -> Select[str, str]:
    """One actor's events as `event_actor` rows, of the share of a pinned read `names` asks."""
    return _ACTOR_EVENTS.where(*_scope(names, EventActor.event_id))


@lru_cache(maxsize=512)
def _matching(dialect: str, names: frozenset[str]) -> AnySelect:
    """What a total counts: the events the filters named match, or one actor's."""
    if _ONE_ACTOR in names:
        return _actor_events(names).distinct()
    return select(Event.id).where(*_conditions(dialect, names))


def filter_conditions(
    session: Session, filters: EventFilter
) -> tuple[tuple[ColumnElement[bool], ...], dict[str, Any]]:
    """The WHERE conditions on `event` that `filters` asks for, and the values they bind."""
    dialect = dialect_of(session)
    dataset = get_dataset(session)
    values = filters.parameters(dialect, dataset.longest_event_days if dataset else None)
    return _conditions(dialect, frozenset(values)), values


@lru_cache(maxsize=1024)
def _page(
    dialect: str,
    names: frozenset[str],
    descending: bool,
    after: bool,
    in_full: bool,
    language: str,
    words: int | None = None,
) -> AnySelect:
    """A page of events as (earliest date, id, JSON as listed or `in_full`), for the filters
    named or for one actor (`_ONE_ACTOR`), after a key or from the start; the limit is bound.
    Ranked by the `words` of a text, by (tier, earliest date, id), each row with its tier.

    Built once per shape, with every value bound. The page's keys first, from an index
    where the filters allow, then the JSON of those rows only, since a sort computes every
    column of every matching row. One actor's events are a range of `event_actor`'s date
    index, not a lookup and a sort per event. As listed, the JSON is the item the load
    rendered (`EventItem`), so the page reads no event row at all.
    """
    columns: tuple[ColumnElement[int], ...] = ()
    keys: AnySelect
    if _ONE_ACTOR in names:
        involved = _actor_events(names)
        if after:
            involved = involved.where(_after(descending, _ACTOR_ORDER))
        keys = involved.distinct().order_by(*_order(descending, _ACTOR_ORDER))
    else:
        conditions = _conditions(dialect, names)
        order, later = _order(descending), _after(descending)
        if words is not None:
            tier = search.rank(Event.search_names, words)
            columns, order, later = (tier,), (tier, *_EVENT_ORDER), _ranked_after(tier)
        if after:
            conditions = (*conditions, later)
        keys = select(*_EVENT_ORDER, *columns).where(*conditions).order_by(*order)
    page = keys.limit(bindparam("limit")).subquery("page")
    earliest, event_id, *tiers = page.c
    ordered = (*tiers, earliest, event_id) if tiers else _order(descending, (earliest, event_id))
    if in_full:
        full = select(event_json.full(dialect, language)).where(Event.id == event_id)
        return select(earliest, event_id, full.scalar_subquery(), *tiers).order_by(*ordered)
    # As listed: the item the load rendered, or for an event without one, built here.
    built = select(event_json.summary(dialect, language)).where(Event.id == event_id)
    in_language = EventItem.language == literal_column(f"'{language}'")
    items = page.outerjoin(EventItem, (EventItem.event_id == event_id) & in_language)
    json = func.coalesce(EventItem.json, built.scalar_subquery()).label("item")
    return select(earliest, event_id, json, *tiers).select_from(items).order_by(*ordered)


def list_events(
    session: Session,
    filters: EventFilter,
    language: str,
    *,
    descending: bool = False,
    after: EventKey | None = None,
    limit: int = 50,
    in_full: bool = False,
    ranked: bool = False,
    overlay: Session | None = None,
) -> Page[EventListing]:
    """One keyset page of the events that match `filters`, in date order or, `ranked`, by
    relevance to their text (`search.rank`, then date), in `language`.

    One statement: the database renders each event's JSON, as listed (`event_json.summary`) or,
    `in_full`, as `/events/{id}` shows it (`event_json.full`). A pinned read (`filters.pinned`)
    merges the page of the current tables with the same page of the `overlay`.
    """
    page = _list_events(session, filters, language, descending, after, limit, in_full, ranked)
    if overlay is None:
        return page
    other = replace(filters, pinned=None, overlay=True)
    more = _list_events(overlay, other, language, descending, after, limit, in_full, ranked)
    rows = sorted([*page.rows, *more.rows], key=_in_order, reverse=descending)
    has_more = page.has_more or more.has_more or len(rows) > limit
    return Page(rows=rows[:limit], total=page.total + more.total, has_more=has_more)


def _in_order(row: EventListing) -> tuple[int, str, str]:
    return (-1 if row.tier is None else row.tier, row.earliest, row.id)


def _list_events(
    session: Session,
    filters: EventFilter,
    language: str,
    descending: bool,
    after: EventKey | None,
    limit: int,
    in_full: bool,
    ranked: bool,
) -> Page[EventListing]:
    dialect = dialect_of(session)
    if (actor := _one_actor(filters)) is None:
        dataset = get_dataset(session)
        values = filters.parameters(dialect, dataset.longest_event_days if dataset else None)
    else:
        scope = EventFilter(pinned=filters.pinned, overlay=filters.overlay)
        values = {_ONE_ACTOR: actor} | scope.parameters(dialect, None)
    names = frozenset(values)
    total = _total(session, filters, dialect, names, values)
    values["limit"] = limit + 1
    if after is not None:
        values.update(after_earliest=after.earliest, after_id=after.id, after_tier=after.tier)
    words = None
    if ranked and filters.text is not None:
        words = len(search.words(filters.text))
        values.update(search.rank_values(filters.text))
    statement = _page(dialect, names, descending, after is not None, in_full, language, words)
    # Core on the session's connection: the ORM layer would add more than the SQL costs.
    rows = session.connection().execute(statement, values).all()
    listings = [EventListing(*row) for row in rows[:limit]]
    return Page(rows=listings, total=total, has_more=len(rows) > limit)


def _total(
    session: Session,
    filters: EventFilter,
    dialect: str,
    names: frozenset[str],
    values: dict[str, Any],
) -> int:
    """How many events `filters` matches. Pinned, the current tables' share is their total
    less the events among them that read otherwise at the release (`reading_otherwise`):
    counting those is a few lookups per change, counting the rest would probe every row.
    Unless the filters match fewer events than there were changes: probing each of them
    then costs less than listing every event that reads otherwise."""
    if "pinned" not in names:
        return totals.count(session, filters, _matching(dialect, names), values)

    def pinned() -> int:
        unpinned = {name: value for name, value in values.items() if name != "pinned"}
        whole = replace(filters, pinned=None)
        count = totals.count(session, whole, _matching(dialect, frozenset(unpinned)), unpinned)
        if count <= count_changes_after(session, values["pinned"]):
            return session.scalar(count_of(_matching(dialect, names)), values) or 0
        otherwise = unpinned | {"otherwise": values["pinned"]}
        listed = count_of(_matching(dialect, frozenset(otherwise)))
        return count - (session.scalar(listed, otherwise) or 0)

    return totals.remember(session, filters, pinned)


@lru_cache(maxsize=16)
def _event_in_full(dialect: str, language: str) -> AnySelect:
    event = select(event_json.full(dialect, language)).where(Event.id == bindparam("id"))
    return DATA_VERSION.add_columns(event.scalar_subquery())


def get_event_json(session: Session, event_id: str, language: str) -> bytes | None:
    """One event in full as JSON (`event_json.full`), or None if there is no such event.

    One statement, built once: the existence check, the event, and the data version its
    validators need (`get_dataset` then reads nothing).
    """
    statement = _event_in_full(dialect_of(session), language)
    row = session.connection().execute(statement, {"id": event_id}).first()
    if row is None:  # nothing loaded yet
        return None
    remember_dataset(session, DataVersion(*row[:-1]))
    found: bytes | None = row[-1]
    return found


def get_event(session: Session, event_id: str) -> Event | None:
    """One event with everything its full representation shows, as ORM objects (JSON-LD)."""
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


_EVENT_ID = select(Event.id).where(Event.id == bindparam("id"))
_PINNED_EVENT_ID = _EVENT_ID.where(unchanged_after("event", Event.id, bindparam("pinned")))


def event_exists(session: Session, event_id: str, *, pinned: int | None = None) -> bool:
    """Whether an event with this id exists (Core on a statement built once, as every
    per-request lookup); `pinned`: and no release after that one changed it."""
    if pinned is None:
        found = session.connection().execute(_EVENT_ID, {"id": event_id}).first()
    else:
        values = {"id": event_id, "pinned": pinned}
        found = session.connection().execute(_PINNED_EVENT_ID, values).first()
    return found is not None


def count_events_by_type(
    session: Session, *, otherwise: int | None = None, overlay: bool = False
) -> Counter[str]:
    """How many events each type has (of those `in_scope` keeps)."""
    scope = in_scope("event", Event.id, otherwise=otherwise, overlay=overlay)
    rows = session.execute(select(Event.type, func.count()).where(*scope).group_by(Event.type))
    return Counter({str(row[0]): int(row[1]) for row in rows})


def count_events(session: Session) -> int:
    """How many events there are, counted once per data version; also proves the database
    answers (reading the version)."""
    return totals.count(session, EventFilter(), select(Event.id))
