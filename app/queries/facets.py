"""Facet counts over the events a filter matches: by value, and a histogram over time.

Counts change only with the data version, so each is computed once per version and filter
(`totals.remember`), like the totals of lists; those of the common filters were counted
by the load that made the version (`facet_counts`), so even a first request reads them.
"""

import dataclasses
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from itertools import accumulate
from typing import Any

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.models import Actor, Event, EventActor, EventTag
from app.queries import facet_counts
from app.queries.common import totals
from app.queries.events import PRECISION_LENGTHS, EventFilter, filter_conditions
from app.queries.facet_counts import KEPT_VALUES, TOTAL, Ranked


class Facet(StrEnum):
    """What events can be counted by."""

    TYPE = "type"
    ACTOR = "actor"
    ROLE = "role"
    COUNTRY = "country"
    TAG = "tag"
    IMPORTANCE = "importance"
    DISPUTED = "disputed"
    DATE = "date"


# One value per event: the counts of all values and `other` add up to the total.
SINGLE: dict[Facet, InstrumentedAttribute[Any]] = {
    Facet.TYPE: Event.type,
    Facet.COUNTRY: Event.country,
    Facet.IMPORTANCE: Event.importance,
    Facet.DISPUTED: Event.disputed,
}
# Several values per event, in a table of their own: (value, event id).
LINKED: dict[Facet, tuple[InstrumentedAttribute[Any], InstrumentedAttribute[str]]] = {
    Facet.ACTOR: (EventActor.actor_id, EventActor.event_id),
    Facet.ROLE: (EventActor.role, EventActor.event_id),
    Facet.TAG: (EventTag.tag, EventTag.event_id),
}


@dataclass(frozen=True)
class ValueCounts:
    """The most frequent values of a facet, and how many events have none of them."""

    values: Sequence[tuple[str, int]]
    other: int


@dataclass(frozen=True)
class Histogram:
    """Events by the period their start falls in, every period from first to last, and
    how many are dated less precisely than a period."""

    buckets: Sequence[tuple[str, int]]
    coarser: int


def value_text(value: object) -> str:
    """A facet's value as the response shows it (`true`, `2`)."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def _by_value() -> dict[Facet, Counter[str | None]]:
    return {facet: Counter() for facet in SINGLE}


@dataclass(frozen=True)
class Counted:
    """Every value of each single-valued facet, and every start, among the events a filter
    matches, with how many events have it: what those facets and the histograms are
    ranked from, on request and by a load."""

    values: dict[Facet, Counter[str | None]] = dataclasses.field(default_factory=_by_value)
    starts: Counter[str] = dataclasses.field(default_factory=Counter)

    def add(self, values: Sequence[object], n: int) -> None:
        """Count `n` events with `values`, one per facet of `SINGLE`, in its order."""
        for facet, value in zip(SINGLE, values, strict=True):
            self.values[facet][None if value is None else value_text(value)] += n


_COUNTED = (*SINGLE.values(), Event.start_date)


def _count(session: Session, filters: EventFilter) -> Counted:
    """`Counted` for `filters`, counted now in one statement."""
    conditions, values = filter_conditions(session, filters)
    statement = select(*_COUNTED, func.count()).where(*conditions).group_by(*_COUNTED)
    rows = session.connection().execute(statement, values).all()
    # Summed by raw value first, named once per distinct value: a row costs a few additions.
    counted = Counted()
    for at, facet in enumerate(SINGLE):
        raw: Counter[object] = Counter()
        for row in rows:
            raw[row[at]] += row[-1]
        for value, n in raw.items():
            counted.values[facet][None if value is None else value_text(value)] += n
    for row in rows:
        counted.starts[row[-2]] += row[-1]
    return counted


def _count_once(session: Session, filters: EventFilter) -> Counted:
    """`Counted` for `filters`, once per session: the events of an actor or a search are
    looked up once for every facet and histogram of a request, not once per facet. Their
    number is kept as the filter's total; what is ranked from them is kept by the callers,
    so the starts, thousands for a large filter, are not kept past the request."""
    known: dict[str, Counted] = session.info.setdefault("counted", {})
    key = repr(filters)
    if key not in known:
        counted = known[key] = _count(session, filters)
        totals.remember(session, filters, lambda: sum(counted.starts.values()))
    return known[key]


def periods_of(counted: Counted, interval: str) -> Counter[str]:
    """The starts of `counted` by the period at `interval` they fall in; those known less
    precisely are left out."""
    size = PRECISION_LENGTHS[interval]
    periods: Counter[str] = Counter()
    for start, n in counted.starts.items():
        if len(start) >= size:
            periods[start[:size]] += n
    return periods


def counted_filter(filters: EventFilter, facet: Facet) -> EventFilter:
    """The filter a facet counts under: a multi-valued facet leaves out its own filter, whose
    values are alternatives (OR-ed), so its counts say which to add or swap in."""
    if facet == Facet.ACTOR:
        return dataclasses.replace(filters, actors=())
    if facet == Facet.ROLE:
        return dataclasses.replace(filters, roles=())
    return dataclasses.replace(filters, tags=()) if facet == Facet.TAG else filters


def count_total(session: Session, filters: EventFilter) -> int:
    """How many events match `filters`, counted now."""
    conditions, values = filter_conditions(session, filters)
    statement = select(func.count()).select_from(Event).where(*conditions)
    return int(session.connection().execute(statement, values).scalar_one())


def count_matching(session: Session, filters: EventFilter, overlay: Session | None = None) -> int:
    """How many events match `filters` (the same cached count as the list's total); pinned,
    with those of the `overlay`."""

    def count() -> int:
        if filters.pinned is not None:
            whole, otherwise = _current_share(filters)
            return count_matching(session, whole) - count_total(session, otherwise)
        found = facet_counts.kept(session, filters, TOTAL)
        return found.total if found else count_total(session, filters)

    matching = totals.remember(session, filters, count)
    if overlay is not None:
        matching += count_matching(overlay, _overlaid(filters))
    return matching


def _current_share(filters: EventFilter) -> tuple[EventFilter, EventFilter]:
    """What a pinned read counts of the current tables, as two unpinned filters: every event
    `filters` match, less those that read otherwise at the release. The second is a few
    lookups per change; keeping the first's events by a probe of each one's versions took
    seconds per count at a million events."""
    whole = dataclasses.replace(filters, pinned=None)
    return whole, dataclasses.replace(whole, otherwise=filters.pinned)


def _overlaid(filters: EventFilter) -> EventFilter:
    """`filters` as an overlay answers them: for the records it answers for."""
    return dataclasses.replace(filters, pinned=None, overlay=True)


def _restricted(statement: Any, link: InstrumentedAttribute[str], where: Any) -> Any:
    """`statement` on a linked table, joined to the matching events if anything filters."""
    if not where:
        return statement
    return statement.join(Event, Event.id == link).where(*where)


def with_covered(values: Sequence[tuple[str, int]], newly: Sequence[int]) -> list[Ranked]:
    """`values` with what each adds to those before it (`newly`) summed up as `covered`."""
    return [Ranked(v, n, c) for (v, n), c in zip(values, accumulate(newly), strict=True)]


def _covered(ranking: Sequence[Ranked]) -> int:
    """How many events the values of `ranking` count together."""
    return ranking[-1].covered if ranking else 0


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def _all_values(session: Session, filters: EventFilter, facet: Facet) -> dict[str | None, int]:
    """Every value of `facet` among the events matching `filters`, with its count: as the
    load kept them when it kept every value, else counted now."""
    found = facet_counts.kept(session, filters, facet)
    if found is not None and len(found.ranking) < KEPT_VALUES:
        counts: dict[str | None, int] = {r.value: r.count for r in found.ranking}
        if facet in SINGLE and (without := found.total - _covered(found.ranking)):
            counts[None] = without
        return counts
    if facet in SINGLE:
        return dict(_count_once(session, filters).values[facet])
    conditions, values = filter_conditions(session, filters)
    column, link = LINKED[facet]
    statement = _restricted(
        select(column, func.count(distinct(link))).group_by(column), link, conditions
    )
    rows = session.connection().execute(statement, values)
    return {value_text(v): int(n) for v, n in rows}


def _events_having(session: Session, filters: EventFilter, facet: Facet, shown: list[str]) -> int:
    """How many events matching `filters` have one of the values `shown` of a linked facet:
    what the load kept when they are the first values it ranked, else counted now."""
    found = facet_counts.kept(session, filters, facet)
    if found is not None and shown and {r.value for r in found.ranking[: len(shown)]} == set(shown):
        return found.ranking[len(shown) - 1].covered
    conditions, values = filter_conditions(session, filters)
    column, link = LINKED[facet]
    statement = _restricted(
        select(func.count(distinct(link))).where(column.in_(shown)), link, conditions
    )
    return int(session.connection().execute(statement, values).scalar_one())


def _merged_values(
    session: Session, overlay: Session, filters: EventFilter, facet: Facet, size: int
) -> ValueCounts:
    """`count_values` over the current tables' share of a pinned read and the overlay's."""
    whole, otherwise = _current_share(filters)
    counts = Counter(_all_values(session, whole, facet))
    counts.subtract(_all_values(session, otherwise, facet))
    counts.update(_all_values(overlay, _overlaid(filters), facet))
    counts = +counts  # without the values no event of the release has
    known = sorted(((v, n) for v, n in counts.items() if v is not None), key=_by_count)
    shown = known[:size]
    if facet in SINGLE:
        return ValueCounts(shown, sum(counts.values()) - sum(n for _, n in shown))
    names = [v for v, _ in shown]
    covered = _events_having(session, whole, facet, names)
    covered -= _events_having(session, otherwise, facet, names)
    covered += _events_having(overlay, _overlaid(filters), facet, names)
    return ValueCounts(shown, count_matching(session, filters, overlay) - covered)


def ranked_values(counted: Counted, facet: Facet, size: int) -> list[Ranked]:
    """The `size` values of the single-valued `facet` most events of `counted` have, most
    first (ties by value), with their counts and how many events the values up to each have."""
    values = counted.values[facet].items()
    known = sorted(((v, n) for v, n in values if v is not None), key=_by_count)[:size]
    return with_covered(known, [n for _, n in known])


def rank_values(session: Session, filters: EventFilter, facet: Facet, size: int) -> list[Ranked]:
    """The `size` values of `facet` most events matching `filters` have, most first (ties by
    value), with their counts and how many events the values up to each have, counted now."""
    if facet in SINGLE:
        return ranked_values(_count_once(session, filters), facet, size)
    conditions, values = filter_conditions(session, filters)
    connection = session.connection()
    column, link = LINKED[facet]
    counted = func.count(distinct(link))
    statement = _restricted(select(column, counted).group_by(column), link, conditions)
    statement = statement.order_by(counted.desc(), column).limit(size)
    shown = [(str(v), int(n)) for v, n in connection.execute(statement, values)]
    if not shown:
        return []
    # Each event once, under the first of the shown values it has.
    first = func.min(case({v: i for i, (v, _) in enumerate(shown)}, value=column))
    by_event = select(first.label("rank")).where(column.in_([v for v, _ in shown]))
    ranks = _restricted(by_event, link, conditions).group_by(link).subquery()
    firsts = select(ranks.c.rank, func.count()).group_by(ranks.c.rank)
    newly: dict[int, int] = {int(r): int(n) for r, n in connection.execute(firsts, values)}
    return with_covered(shown, [newly.get(i, 0) for i in range(len(shown))])


def count_values(
    session: Session,
    filters: EventFilter,
    facet: Facet,
    size: int,
    overlay: Session | None = None,
) -> ValueCounts:
    """The `size` values of `facet` most events matching `filters` have, most first (ties
    by value), with their counts; `other` counts the events with none of those values.
    Pinned, the `overlay`'s events count too."""

    def count() -> ValueCounts:
        if overlay is not None:
            return _merged_values(session, overlay, filters, facet, size)
        found = facet_counts.kept(session, filters, facet)
        shown = (found.ranking if found else rank_values(session, filters, facet, size))[:size]
        total = found.total if found else count_matching(session, filters)
        return ValueCounts([(r.value, r.count) for r in shown], total - _covered(shown))

    return totals.remember(session, ("facet", facet, size, filters), count)


def _periods(first: str, last: str, interval: str) -> list[str]:
    """Every period from `first` to `last` at `interval` (year, month or day), in order."""
    if interval == "year":
        return [f"{year:04d}" for year in range(int(first), int(last) + 1)]
    if interval == "month":
        start, end = (int(p[:4]) * 12 + int(p[5:]) - 1 for p in (first, last))
        return [f"{n // 12:04d}-{n % 12 + 1:02d}" for n in range(start, end + 1)]
    day, end_day = date.fromisoformat(first), date.fromisoformat(last)
    return [(day + timedelta(days=n)).isoformat() for n in range((end_day - day).days + 1)]


def rank_periods(session: Session, filters: EventFilter, interval: str) -> list[Ranked]:
    """The periods at `interval` in which the start of an event matching `filters` falls,
    in order, with how many starts each holds, counted now; the less precise are left out."""
    return ranked_periods(_count_once(session, filters), interval)


def ranked_periods(counted: Counted, interval: str) -> list[Ranked]:
    """The periods at `interval` in which a start of `counted` falls, in order, with how
    many starts each holds; the less precise are left out."""
    counts = sorted(periods_of(counted, interval).items())
    return with_covered(counts, [n for _, n in counts])


def _merged_histogram(
    session: Session, overlay: Session, filters: EventFilter, interval: str
) -> Histogram:
    """`histogram` over the current tables' share of a pinned read and the overlay's."""
    whole, otherwise = _current_share(filters)
    found = facet_counts.kept(session, whole, f"date:{interval}")
    counts = (
        Counter({r.value: r.count for r in found.ranking})
        if found is not None
        else periods_of(_count_once(session, whole), interval)
    )
    counts.subtract(periods_of(_count_once(session, otherwise), interval))
    counts.update(periods_of(_count_once(overlay, _overlaid(filters)), interval))
    counts = +counts  # without the periods no event of the release starts in
    known = sorted(counts)
    periods = _periods(known[0], known[-1], interval) if known else []
    buckets = [(p, counts.get(p, 0)) for p in periods]
    matching = count_matching(session, filters, overlay)
    return Histogram(buckets, matching - sum(counts.values()))


def histogram(
    session: Session, filters: EventFilter, interval: str, overlay: Session | None = None
) -> Histogram:
    """Events matching `filters` by the year, month or day their start falls in; an event
    whose start is known less precisely than `interval` is counted in `coarser` only.
    Pinned, the `overlay`'s events count too."""

    def count() -> Histogram:
        if overlay is not None:
            return _merged_histogram(session, overlay, filters, interval)
        found = facet_counts.kept(session, filters, f"date:{interval}")
        ranking = found.ranking if found else rank_periods(session, filters, interval)
        total = found.total if found else count_matching(session, filters)
        counts = {r.value: r.count for r in ranking}
        periods = _periods(ranking[0].value, ranking[-1].value, interval) if ranking else []
        buckets = [(p, counts.get(p, 0)) for p in periods]
        return Histogram(buckets, total - _covered(ranking))

    return totals.remember(session, ("histogram", interval, filters), count)


def actor_names(session: Session, ids: Sequence[str], language: str) -> dict[str, str]:
    """The names of the actors `ids` in `language`."""
    name = getattr(Actor, f"name_{language}")
    rows = session.connection().execute(select(Actor.id, name).where(Actor.id.in_(ids)))
    return {str(actor_id): str(found) for actor_id, found in rows}
