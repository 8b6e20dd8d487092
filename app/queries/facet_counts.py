"""Facet counts kept per data version for the common filters: the whole data set, one type,
one year (`from=Y&to=Y`), and one type in one year.

The load that makes a data version counts them (`app.loading.facet_counts`) with the very
functions that count on request, in its own transaction; a request whose filter is one of
these reads a few rows by key instead of counting every matching event. Any other filter,
a facet not kept for its scope, or a data version with nothing kept (a database migrated
since its last load) is counted on request.
"""

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from app.models import FacetCount
from app.queries.common import get_dataset
from app.queries.events import EventFilter

TOTAL = "total"
KEPT_VALUES = 100  # values kept per facet: the largest `facet_size`
_SINGLE = ("type", "country", "importance", "disputed")
_LINKED = ("actor", "role", "tag")
# What is kept for each kind of scope, "date:<interval>" being a histogram. A day histogram
# of a type has thousands of buckets, and a type in a year matches few enough events to
# count the rest on request.
KEPT: dict[str, tuple[str, ...]] = {
    "": (*_SINGLE, *_LINKED, "date:year", "date:month", "date:day"),
    "type": (*_SINGLE, *_LINKED, "date:year", "date:month"),
    "year": (*_SINGLE, *_LINKED, "date:year", "date:month", "date:day"),
    "type&year": (*_SINGLE, "date:year", "date:month"),
}


@dataclass(frozen=True)
class Ranked:
    """A value (or period) of a facet, how many events it counts, and how many events this
    value and those ranked before it count together (`covered`)."""

    value: str
    count: int
    covered: int


@dataclass(frozen=True)
class Kept:
    """What a load counted for one filter and facet: the filter's total and the ranking."""

    total: int
    ranking: Sequence[Ranked]


def _set_fields(filters: EventFilter) -> dict[str, object]:
    """The fields of `filters` that filter something, by name."""
    return {
        field.name: value
        for field in dataclasses.fields(filters)
        if (value := getattr(filters, field.name)) != field.default and value != []
    }


@dataclass(frozen=True)
class Scope:
    """A common filter: its kind (a key of `KEPT`), its key (`type=coup&year=2021`) and the
    filter itself."""

    kind: str
    key: str
    filters: EventFilter


def _scope(event_type: str | None, year: str | None) -> Scope:
    named = [(k, v) for k, v in (("type", event_type), ("year", year)) if v is not None]
    filters = EventFilter(
        types=(event_type,) if event_type else (),
        earliest=f"{year}-01-01" if year else None,
        latest=f"{year}-12-31" if year else None,
    )
    return Scope("&".join(k for k, _ in named), "&".join(f"{k}={v}" for k, v in named), filters)


def scope_of(filters: EventFilter) -> Scope | None:
    """The scope `filters` asks for, when it asks for one type, one whole year, both or
    nothing (else None)."""
    named = _set_fields(filters)
    types = named.pop("types", None)
    earliest, latest = named.pop("earliest", None), named.pop("latest", None)
    if named or (types is not None and (not isinstance(types, Sequence) or len(types) != 1)):
        return None
    year = None if earliest is None and latest is None else str(earliest)[:4]
    scope = _scope(None if types is None else str(types[0]), year)
    return scope if (earliest, latest) == (scope.filters.earliest, scope.filters.latest) else None


def scopes(
    types: Iterable[str], years: Iterable[int], pairs: Iterable[tuple[str, int]]
) -> Iterator[Scope]:
    """The scopes counted at load time: everything, each of `types`, each of `years`, and
    each type in a year of `pairs`."""
    yield _scope(None, None)
    yield from (_scope(t, None) for t in types)
    yield from (_scope(None, f"{y:04d}") for y in years)
    yield from (_scope(t, f"{y:04d}") for t, y in pairs)


_KEPT = (
    select(FacetCount.facet, FacetCount.value, FacetCount.count, FacetCount.covered)
    .where(
        FacetCount.version == bindparam("version"),
        FacetCount.scope == bindparam("scope"),
        FacetCount.facet.in_([bindparam("facet"), TOTAL]),
    )
    .order_by(FacetCount.rank)
)


def kept(session: Session, filters: EventFilter, facet: str) -> Kept | None:
    """The counts of `facet` (`TOTAL` for the total alone) over the events `filters` match,
    as the load of the current data version kept them; None if it kept none."""
    scope = scope_of(filters)
    dataset = get_dataset(session)
    if scope is None or dataset is None or (facet != TOTAL and facet not in KEPT[scope.kind]):
        return None
    values = {"version": dataset.version, "scope": scope.key, "facet": facet}
    rows = session.connection().execute(_KEPT, values).all()
    total = next((n for name, _, n, _ in rows if name == TOTAL), None)
    if total is None:
        return None
    return Kept(total, [Ranked(v, n, c) for name, v, n, c in rows if name != TOTAL])
