"""`/events/facets` and `/actors/{id}/events/facets`: how many events match, by value and
over time, each count linking to the list it counts."""

from collections.abc import Iterator, Sequence
from urllib.parse import urlencode

from fastapi import APIRouter, Response
from sqlalchemy.orm import Session
from starlette.datastructures import QueryParams

from app.api.facet_labels import COARSER, OTHER, label, pick
from app.api.known import known_event_filter
from app.api.params import ActorId
from app.api.pinning import locate, overlay_session
from app.api.respond import CSV_SCHEMA, Body, FacetExchange, Renderers, openapi
from app.api.tombstones import GONE
from app.api.urls import absolute
from app.dates import Precision
from app.formats import tabular
from app.negotiation import MediaType
from app.queries import EventFilter, Facet
from app.queries.facets import (
    actor_names,
    count_matching,
    count_values,
    counted_filter,
    histogram,
)
from app.schemas.facets import Bucket, Coarser, DateHistogram, Facets, FacetsRead, FacetValue
from app.vocabulary import Language

router = APIRouter()

_OWN_PARAMETERS = frozenset({"facet", "interval", "facet_size"})
_COARSER = {
    Precision.YEAR: [],
    Precision.MONTH: [Precision.YEAR],
    Precision.DAY: [Precision.YEAR, Precision.MONTH],
}
_TYPES = {MediaType.JSON: None, MediaType.CSV: CSV_SCHEMA}


class _Links:
    """URLs of lists: this request's filters with some replaced."""

    def __init__(self, path: str, query: QueryParams) -> None:
        self.path = path
        self.kept = [(k, v) for k, v in query.multi_items() if k not in _OWN_PARAMETERS]

    def to(self, name: str, values: Sequence[str]) -> str:
        query = [(k, v) for k, v in self.kept if k != name] + [(name, v) for v in values]
        return f"{self.path}?{urlencode(query)}"


def _values(
    exchange: FacetExchange,
    filters: EventFilter,
    facet: Facet,
    links: _Links,
    lang: Language,
    overlay: Session | None,
) -> list[FacetValue]:
    session, size = exchange.session, exchange.params.facet_size
    counts = count_values(session, counted_filter(filters, facet), facet, size, overlay)
    names = {}
    if facet == Facet.ACTOR:
        # An overlay holds every actor of its release, under the names they had then.
        named = [v for v, _ in counts.values]
        names = actor_names(overlay or session, named, lang.value)
    shown = [
        FacetValue(
            value=value,
            label=names.get(value) or label(facet, value, lang),
            count=n,
            url=links.to(facet, [value]),
        )
        for value, n in counts.values
    ]
    if counts.other:
        shown.append(FacetValue(value=None, label=pick(OTHER, lang), count=counts.other, url=None))
    return shown


def _histogram(
    exchange: FacetExchange, filters: EventFilter, links: _Links, overlay: Session | None
) -> DateHistogram:
    interval = exchange.params.interval
    counts = histogram(exchange.session, filters, interval.value, overlay)
    within = filters.starts_in or ""

    def bucket(value: str, n: int) -> Bucket:
        # A bucket inside the `starts_in` filter narrows it; one around it keeps it.
        return Bucket(
            value=value, count=n, url=links.to("starts_in", [max(value, within, key=len)])
        )

    coarser = [p for p in _COARSER[interval] if not filters.precisions or p in filters.precisions]
    url = links.to("precision", coarser) if coarser else None
    return DateHistogram(
        interval=interval,
        buckets=[bucket(value, n) for value, n in counts.buckets],
        coarser=Coarser(count=counts.coarser, url=url),
    )


def _renderers(exchange: FacetExchange, within_actor: str | None = None) -> Renderers:
    """The facets as JSON and CSV; filters parsed before negotiation."""
    pin = exchange.pin
    filters = known_event_filter(exchange.session, exchange.params, within_actor, pin)
    path = absolute(exchange.request, exchange.request.url.path.removesuffix("/facets"))
    links = _Links(path, exchange.request.query_params)
    asked = list(dict.fromkeys(exchange.params.facet))

    def facets(lang: Language) -> FacetsRead:
        found: dict[str, object] = {}
        with overlay_session(exchange.overlay) as side:
            for facet in asked:
                if facet == Facet.DATE:
                    found[facet] = _histogram(exchange, filters, links, side)
                else:
                    found[facet] = _values(exchange, filters, facet, links, lang, side)
            total = count_matching(exchange.session, filters, side)
        return FacetsRead(total=total, facets=Facets.model_validate(found))

    def as_json(lang: Language) -> Body:
        return Body(facets(lang).model_dump_json(exclude_unset=True).encode())

    def as_csv(lang: Language) -> Body:
        return Body(tabular.facets(_rows(facets(lang), lang)))

    return {MediaType.JSON: as_json, MediaType.CSV: as_csv}


def _rows(read: FacetsRead, lang: Language) -> Iterator[tuple[object, ...]]:
    """One CSV row per count: facet, value, label, count, url."""
    for name, counted in read.facets:
        if isinstance(counted, DateHistogram):
            for b in counted.buckets:
                yield name, b.value, b.value, b.count, b.url
            yield name, None, pick(COARSER, lang), counted.coarser.count, counted.coarser.url
        elif counted is not None:
            for v in counted:
                yield name, v.value, v.label, v.count, v.url


@router.get(
    "/events/facets",
    tags=["events"],
    response_model=FacetsRead,
    responses=openapi(_TYPES),
)
def event_facets(exchange: FacetExchange) -> Response:
    """Matching events counted by type, actor, role, country, tag, importance, disputed, and
    by the period their start falls in; each count links to the list it counts.

    Takes every filter of `/events`. `Accept: text/csv` returns one row per count.
    """
    return exchange.respond(_renderers(exchange), filename="facets.csv")


@router.get(
    "/actors/{actor_id}/events/facets",
    tags=["actors"],
    response_model=FacetsRead,
    responses=openapi(_TYPES, not_found="No such actor.") | GONE,
)
def actor_event_facets(exchange: FacetExchange, actor_id: ActorId) -> Response:
    """The facets of an actor's events; the same filters and counts as `/events/facets`."""
    renderers = _renderers(exchange, within_actor=actor_id)
    locate(exchange.session, exchange.pin, "actor", actor_id)
    return exchange.respond(renderers, filename=f"{actor_id}-facets.csv")
