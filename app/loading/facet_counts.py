"""The facets of the common filters, counted for the data version a load makes, in the load's
transaction: a reader sees them with the data they count, or neither
(`app.queries.facet_counts`).

Each kind of filter is counted in grouped passes over all its filters at once (by type, by
the years an event lasts over, ...), not in a pass per filter: a pass per type or year read
its events again for every facet. The single-valued facets and the histograms of every
filter come from two passes; each multi-valued facet takes two per kind of filter (its
counts, then which of the values shown each event has). The rankings are made by the same
functions as those counted on request (`app.queries.facets`).
"""

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from sqlalchemy import delete, distinct, func, insert, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.models import Event, FacetCount
from app.queries.common import forget_dataset, get_dataset
from app.queries.facet_counts import KEPT, KEPT_VALUES, TOTAL, Ranked, Scope, scopes
from app.queries.facets import (
    LINKED,
    SINGLE,
    Counted,
    Facet,
    ranked_periods,
    ranked_values,
    with_covered,
)

_BATCH = 5000  # rows per INSERT round trip
_SEPARATOR = "\x1f"  # between the values of one event: no id, role or tag holds it

# A scope as (type, year), None where it does not filter; a kind's scopes are told apart by
# these columns of the events, a year by the first and last year an event can fall in.
ScopeKey = tuple[str | None, int | None]
_FIRST_YEAR = func.substr(Event.earliest_date, 1, 4)
_LAST_YEAR = func.substr(Event.latest_date, 1, 4)
_BY_KIND: dict[str, tuple[Any, ...]] = {
    "": (),
    "type": (Event.type,),
    "year": (_FIRST_YEAR, _LAST_YEAR),
    "type&year": (Event.type, _FIRST_YEAR, _LAST_YEAR),
}
_EVERY_KIND = _BY_KIND["type&year"]
# What the counts read of an event: these columns, and its rows of the linked tables.
_READ = (Event.type, Event.earliest_date, Event.latest_date, Event.start_date, *SINGLE.values())
_LINKS: dict[InstrumentedAttribute[str], list[InstrumentedAttribute[Any]]] = defaultdict(list)
for _column, _link in LINKED.values():
    _LINKS[_link].append(_column)
_ID_CHUNK = 5000  # ids per IN list


class _Scopes:
    """The scopes a load counts, and which of them an event falls in, by kind."""

    def __init__(self, events: Iterable[tuple[Any, ...]]) -> None:
        """`events`: the (type, first year, last year) of every event, or of each kind."""
        kinds = {(str(t), int(first), int(last)) for t, first, last in events}
        types = sorted({t for t, _, _ in kinds})
        self.years = sorted({first for _, first, _ in kinds})
        self.pairs = {(t, first) for t, first, _ in kinds}
        self.all: list[Scope] = list(scopes(types, self.years, sorted(self.pairs)))
        self._of: dict[tuple[str, tuple[Any, ...]], tuple[ScopeKey, ...]] = {}

    def of(self, kind: str, key: tuple[Any, ...]) -> tuple[ScopeKey, ...]:
        """The scopes of `kind` an event falls in, by its columns `_BY_KIND[kind]`."""
        if (kind, key) not in self._of:
            self._of[kind, key] = self._find(kind, key)
        return self._of[kind, key]

    def _find(self, kind: str, key: tuple[Any, ...]) -> tuple[ScopeKey, ...]:
        if kind == "":
            return ((None, None),)
        if kind == "type":
            return ((key[0], None),)
        first, last = int(key[-2]), int(key[-1])
        years = [y for y in self.years if first <= y <= last]
        if kind == "year":
            return tuple((None, y) for y in years)
        return tuple((key[0], y) for y in years if (key[0], y) in self.pairs)

    def every(self, key: tuple[Any, ...]) -> tuple[ScopeKey, ...]:
        """The scopes of every kind an event with (type, first year, last year) `key` is in."""
        return tuple(s for kind in _BY_KIND for s in self.of(kind, key))


def _key(scope: Scope) -> ScopeKey:
    filters = scope.filters
    year = int(filters.earliest[:4]) if filters.earliest else None
    return (filters.types[0] if filters.types else None, year)


def _counted(session: Session) -> tuple[_Scopes, dict[ScopeKey, Counted]]:
    """The scopes, and the single-valued facets and starts of each, from two grouped passes."""
    columns = (*_EVERY_KIND, *SINGLE.values())
    rows = session.execute(select(*columns, func.count()).group_by(*columns)).all()
    found = _Scopes(row[:3] for row in rows)
    counted: dict[ScopeKey, Counted] = defaultdict(Counted)
    for row in rows:
        for scope in found.every(row[:3]):
            counted[scope].add(row[3:-1], row[-1])
    by_start = (*_EVERY_KIND, Event.start_date)
    for *key, start, n in session.execute(select(*by_start, func.count()).group_by(*by_start)):
        for scope in found.every(tuple(key)):
            counted[scope].starts[start] += n
    return found, counted


def _linked(
    session: Session, found: _Scopes, kind: str, facet: Facet
) -> dict[ScopeKey, list[Ranked]]:
    """The `KEPT_VALUES` values of the multi-valued `facet` most events have in each scope
    of `kind`, most first (ties in the database's order of values), with what they cover."""
    column, link = LINKED[facet]
    by = _BY_KIND[kind]
    counts: dict[ScopeKey, Counter[str]] = defaultdict(Counter)
    order: dict[str, int] = {}
    statement = _joined(select(*by, column, func.count(distinct(link))), link, by)
    for *key, value, n in session.execute(statement.group_by(*by, column).order_by(column)):
        order.setdefault(value, len(order))
        for scope in found.of(kind, tuple(key)):
            counts[scope][value] += n
    shown = {
        scope: sorted(counted.items(), key=lambda item: (-item[1], order[item[0]]))[:KEPT_VALUES]
        for scope, counted in counts.items()
    }
    ranks = {scope: {v: i for i, (v, _) in enumerate(values)} for scope, values in shown.items()}
    # Each event once, under the first of the values shown in its scope that it has.
    newly: dict[ScopeKey, Counter[int]] = defaultdict(Counter)
    every_shown = {v for ranked in ranks.values() for v in ranked}
    for held, values, n in _value_sets(session, by, column, link, every_shown):
        for scope in found.of(kind, held):
            first = min((ranks[scope][v] for v in values if v in ranks[scope]), default=None)
            if first is not None:
                newly[scope][first] += n
    return {
        scope: with_covered(values, [newly[scope][i] for i in range(len(values))])
        for scope, values in shown.items()
    }


def _joined(statement: Any, link: InstrumentedAttribute[str], by: tuple[Any, ...]) -> Any:
    """`statement` on a linked table, joined to the events when it groups by their columns."""
    return statement.join(Event, Event.id == link) if by else statement


def _value_sets(
    session: Session,
    by: tuple[Any, ...],
    column: InstrumentedAttribute[str],
    link: InstrumentedAttribute[str],
    values: Iterable[str],
) -> Iterable[tuple[tuple[Any, ...], set[str], int]]:
    """Which of `values` an event has, as (its columns `by`, the values, how many events):
    what the values ranked first in a scope cover, each event once."""
    held = func.aggregate_strings(column, _SEPARATOR).label("held")
    having = select(link.label("id"), held).where(column.in_(sorted(values))).group_by(link)
    # Grouped before the join: SQLite then finds the events of the values by its index,
    # rather than looking each value up in every event.
    per_event = having.subquery()
    found = per_event.join(Event, Event.id == per_event.c.id) if by else per_event
    grouped = (*by, per_event.c.held)
    statement = select(*grouped, func.count()).select_from(found).group_by(*grouped)
    for *key, joined, n in session.execute(statement):
        yield tuple(key), set(joined.split(_SEPARATOR)), n


def read_by_counts(session: Session, ids: Collection[str]) -> dict[str, tuple[Any, ...]]:
    """What the counts read of each of the events `ids`, as stored now: its columns and its
    values in the linked tables. A load whose updated events read the same before and after
    their update, and that adds or deletes none, leaves every count as it was."""
    ordered = sorted(ids)
    read: dict[str, list[Any]] = {}
    for start in range(0, len(ordered), _ID_CHUNK):
        chunk = ordered[start : start + _ID_CHUNK]
        for event_id, *values in session.execute(
            select(Event.id, *_READ).where(Event.id.in_(chunk))
        ):
            read[event_id] = [tuple(values)]
        for link, columns in _LINKS.items():
            rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
            for event_id, *values in session.execute(select(link, *columns).where(link.in_(chunk))):
                rows[event_id].append(tuple(values))
            for event_id in chunk:
                if event_id in read:
                    read[event_id].append(tuple(sorted(rows[event_id])))
    return {event_id: tuple(values) for event_id, values in read.items()}


def count_facets(session: Session, *, unchanged: bool = False) -> int:
    """Replace the kept facet counts with those of the data as this transaction leaves it;
    how many rows were written.

    `unchanged`: the caller knows that nothing counted changed since the previous data
    version, whose counts, if kept, become this version's instead of being counted again:
    after a load that corrects a few texts, counting would read every event for nothing.
    """
    # The version this load has just made, not one a read earlier in the transaction saw.
    forget_dataset(session)
    dataset = get_dataset(session)
    if dataset is not None and unchanged:
        previous = FacetCount.version == dataset.version - 1
        if kept := session.scalar(select(func.count()).where(previous)):
            session.execute(update(FacetCount).where(previous).values(version=dataset.version))
            return kept
    session.execute(delete(FacetCount))
    if dataset is None:
        return 0
    found, counted = _counted(session)
    linked = {
        (kind, facet): _linked(session, found, kind, Facet(facet))
        for kind, kept in KEPT.items()
        for facet in kept
        if facet in LINKED
    }
    rows: list[dict[str, Any]] = []
    for scope in found.all:
        key = _key(scope)
        here = counted[key]
        total = sum(here.starts.values())
        rankings: list[tuple[str, Sequence[Ranked]]] = [(TOTAL, [Ranked("", total, total)])]
        for facet in KEPT[scope.kind]:
            if facet.startswith("date:"):
                ranking = ranked_periods(here, facet.removeprefix("date:"))
            elif facet in SINGLE:
                ranking = ranked_values(here, Facet(facet), KEPT_VALUES)
            else:
                ranking = linked[scope.kind, facet].get(key, [])
            rankings.append((facet, ranking))
        rows += [
            {"version": dataset.version, "scope": scope.key, "facet": facet, "rank": rank}
            | {"value": r.value, "count": r.count, "covered": r.covered}
            for facet, ranking in rankings
            for rank, r in enumerate(ranking)
        ]
    for start in range(0, len(rows), _BATCH):
        session.execute(insert(FacetCount), rows[start : start + _BATCH])
    return len(rows)
