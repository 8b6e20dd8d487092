"""`/events`: the timeline filtered and paged, its exports, TimelineJS, and each event."""

from collections.abc import Iterator
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Path, Request, Response

from app import queries
from app.api.deps import (
    EventParams,
    EventQuery,
    ExportParams,
    ExportQuery,
    FilterQuery,
    LangQuery,
    encode_cursor,
    event_filter,
    event_key,
    next_url,
)
from app.api.respond import Renderers, negotiated, openapi
from app.db import SessionDep
from app.errors import NotFound
from app.formats import geojson, jsonld, tabular, timelinejs
from app.negotiation import MediaType
from app.queries import EventFilter, EventKey
from app.schemas import SLUG_PATTERN, EventPage, EventRead
from app.vocabulary import EventType, Language

router = APIRouter(tags=["events"])

EventId = Annotated[
    str,
    Path(
        description="The event's id.",
        examples=["mali-coup-2021"],
        max_length=100,
        pattern=SLUG_PATTERN,
    ),
]
GEOJSON_SCHEMA = {"type": "object", "description": "An RFC 7946 FeatureCollection of Points."}
CSV_SCHEMA = {"type": "string", "description": "RFC 4180 CSV, UTF-8, with a header row."}
JSONLD_SCHEMA = {"type": "object", "description": "schema.org JSON-LD."}
LIST_TYPES = {MediaType.JSON: None, MediaType.GEOJSON: GEOJSON_SCHEMA, MediaType.CSV: CSV_SCHEMA}


def _streamed(
    request: Request,
    filters: EventFilter,
    descending: bool,
    lang: Language,
    *,
    in_full: bool = False,
) -> Iterator[dict[str, Any]]:
    """Every matching event (as listed, or `in_full`), 1,000 at a time, each page from a
    session of its own.

    A stream outlives the request's session, and holds no connection between pages.
    """
    after = None
    while True:
        with request.app.state.sessionmaker() as session:
            page = queries.list_events(
                session,
                filters,
                lang.value,
                descending=descending,
                after=after,
                limit=1000,
                in_full=in_full,
            )
        yield from (orjson.loads(listing.json) for listing in page.rows)
        if not page.has_more:
            return
        last = page.rows[-1]
        after = EventKey(earliest=last.earliest, id=last.id)


def _page(
    session: SessionDep, request: Request, params: EventParams, filters: EventFilter, lang: Language
) -> dict[str, Any]:
    """An `EventPage` around the items' JSON texts: the list is the hottest path of the API."""
    page = queries.list_events(
        session,
        filters,
        lang.value,
        descending=params.sort == "-date",
        after=event_key(params),
        limit=params.limit,
    )
    cursor = None
    if page.has_more:
        last = page.rows[-1]
        cursor = encode_cursor(params.sort, last.earliest, last.id)
    return {
        "items": orjson.Fragment(b"[" + b",".join(listing.json for listing in page.rows) + b"]"),
        "total": page.total,
        "next": next_url(request, cursor),
    }


def event_list_renderers(
    session: SessionDep,
    request: Request,
    params: ExportParams,
    within_actor: str | None = None,
) -> Renderers:
    """The representations of an event list, for `/events` and `/actors/{id}/events`.

    JSON is one page; GeoJSON and CSV hold every matching event.
    """
    filters = event_filter(params, within_actor)
    descending = params.sort == "-date"

    def as_geojson(lang: Language) -> Iterator[str]:
        return geojson.collection(_streamed(request, filters, descending, lang))

    def as_csv(lang: Language) -> Iterator[str]:
        return tabular.events(_streamed(request, filters, descending, lang))

    exports: Renderers = {MediaType.GEOJSON: as_geojson, MediaType.CSV: as_csv}
    if not isinstance(params, EventParams):
        return exports
    paged = params

    def as_json(lang: Language) -> dict[str, Any]:
        return _page(session, request, paged, filters, lang)

    return {MediaType.JSON: as_json, **exports}


@router.get(
    "/events",
    response_model=EventPage,
    responses=openapi(LIST_TYPES),
)
def list_events(session: SessionDep, request: Request, params: EventQuery) -> Response:
    """Events in date order, filtered; each item embeds its actors with their roles.

    `Accept: application/geo+json` or `text/csv` returns every matching event in that format.
    """
    renderers = event_list_renderers(session, request, params)
    return negotiated(request, session, params.lang, renderers, filename="events.csv")


@router.get(
    "/events.geojson",
    response_model=None,
    response_class=Response,
    responses=openapi({MediaType.GEOJSON: GEOJSON_SCHEMA}),
)
def events_geojson(session: SessionDep, request: Request, params: ExportQuery) -> Response:
    """Every matching event that has coordinates, as an RFC 7946 FeatureCollection."""
    renderers = event_list_renderers(session, request, params)
    return negotiated(request, session, params.lang, renderers, forced=MediaType.GEOJSON)


@router.get(
    "/events.csv",
    response_model=None,
    response_class=Response,
    responses=openapi({MediaType.CSV: CSV_SCHEMA}),
)
def events_csv(session: SessionDep, request: Request, params: ExportQuery) -> Response:
    """Every matching event as CSV, streamed; actors as `id:role` joined with `;`."""
    renderers = event_list_renderers(session, request, params)
    return negotiated(
        request, session, params.lang, renderers, forced=MediaType.CSV, filename="events.csv"
    )


@router.get(
    "/timeline",
    response_model=None,
    response_class=Response,
    responses=openapi({MediaType.JSON: {"type": "object", "description": "TimelineJS 3 JSON."}}),
)
def timeline(session: SessionDep, request: Request, params: FilterQuery) -> Response:
    """The matching events as TimelineJS 3 JSON, with operations as eras."""
    filters = event_filter(params)
    operations = EventFilter(
        earliest=filters.earliest, latest=filters.latest, types=[EventType.OPERATION]
    )

    def as_timeline(lang: Language) -> Iterator[str]:
        events = _streamed(request, filters, False, lang, in_full=True)
        return timelinejs.timeline(events, _streamed(request, operations, False, lang), lang)

    return negotiated(request, session, params.lang, {MediaType.JSON: as_timeline})


@router.get(
    "/events/{event_id}",
    response_model=EventRead,
    responses=openapi(
        {MediaType.JSON: None, MediaType.JSONLD: JSONLD_SCHEMA}, not_found="No such event."
    ),
)
def get_event(
    session: SessionDep, request: Request, event_id: EventId, params: LangQuery
) -> Response:
    """One event in full: actors, figures, sources with quotes, disputes, relations both ways.

    `Accept: application/ld+json` returns a schema.org Event.
    """
    if not queries.event_exists(session, event_id):
        raise NotFound(f"no event with id {event_id!r}")
    base_url = str(request.base_url)

    def as_json(lang: Language) -> bytes:
        return queries.get_event_json(session, event_id, lang.value)

    def as_jsonld(lang: Language) -> dict[str, Any]:
        event = queries.get_event(session, event_id)
        if event is None:  # the check above ran in the same snapshot
            raise NotFound(f"no event with id {event_id!r}")
        return jsonld.event(event, lang, base_url)

    renderers: Renderers = {MediaType.JSON: as_json, MediaType.JSONLD: as_jsonld}
    return negotiated(request, session, params.lang, renderers)
