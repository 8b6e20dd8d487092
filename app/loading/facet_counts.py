"""The facets of the common filters, counted for the data version a load makes, in the load's
transaction: a reader sees them with the data they count, or neither
(`app.queries.facet_counts`).
"""

from collections.abc import Iterator
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from app.models import Event, FacetCount
from app.queries.common import forget_dataset, get_dataset
from app.queries.facet_counts import KEPT, KEPT_VALUES, TOTAL, Ranked, Scope, scopes
from app.queries.facets import Facet, count_total, rank_periods, rank_values

_BATCH = 5000  # rows per INSERT round trip


def _rankings(session: Session, scope: Scope) -> Iterator[tuple[str, list[Ranked]]]:
    """(facet, ranking) of everything kept for `scope`, counted as a request would."""
    filters = scope.filters
    total = count_total(session, filters)
    yield TOTAL, [Ranked("", total, total)]
    for facet in KEPT[scope.kind]:
        if facet.startswith("date:"):
            yield facet, rank_periods(session, filters, facet.removeprefix("date:"))
        else:
            yield facet, rank_values(session, filters, Facet(facet), KEPT_VALUES)


def count_facets(session: Session) -> int:
    """Replace the kept facet counts with those of the data as this transaction leaves it;
    how many rows were written."""
    # The version this load has just made, not one a read earlier in the transaction saw.
    forget_dataset(session)
    dataset = get_dataset(session)
    session.execute(delete(FacetCount))
    if dataset is None:
        return 0
    year = func.substr(Event.earliest_date, 1, 4)
    types = session.scalars(select(Event.type).distinct().order_by(Event.type)).all()
    years = [int(y) for y in session.scalars(select(year).distinct().order_by(year))]
    pairs = [(str(t), int(y)) for t, y in session.execute(select(Event.type, year).distinct())]
    rows: list[dict[str, Any]] = []
    for scope in scopes(types, years, pairs):
        for facet, ranking in _rankings(session, scope):
            rows += [
                {"version": dataset.version, "scope": scope.key, "facet": facet, "rank": rank}
                | {"value": r.value, "count": r.count, "covered": r.covered}
                for rank, r in enumerate(ranking)
            ]
    for start in range(0, len(rows), _BATCH):
        session.execute(insert(FacetCount), rows[start : start + _BATCH])
    return len(rows)
