"""`/events`: the timeline filtered and paged, its exports, TimelineJS, and each event."""

from itertools import islice

import orjson
from fastapi import APIRouter, Response

from app import queries
from app.api.event_lists import LIST_TYPES, event_list_renderers, export_renderers, stream_events
from app.api.ids import EventId
from app.api.known import known_event_filter
from app.api.pinning import locate, overlay_session
from app.api.respond import (
    CSV_SCHEMA,
    GEOJSON_SCHEMA,
    JSONLD_SCHEMA,
    TIMELINE_SCHEMA,
    Body,
    EventExchange,
    ExportExchange,
    GeoJSONExchange,
    PinExchange,
    Renderers,
    TimelineExchange,
    openapi,
)
from app.api.tombstones import GONE, missing
from app.api.urls import absolute_event_urls, base_url
from app.db import one_statement
from app.errors import NotFound
from app.formats import jsonld, timelinejs
from app.negotiation import MediaType
from app.queries import EventFilter
from app.schemas import EventPage, EventRead
from app.vocabulary import EventType, Language

router = APIRouter(tags=["events"])


@router.get(
    "/events",
    response_model=EventPage,
    responses=openapi(LIST_TYPES),
)
def list_events(exchange: EventExchange) -> Response:
    """Events in date order, filtered; each item embeds its actors with their roles.

    `Accept: application/geo+json` or `text/csv` returns every matching event in that format.
    """
    return exchange.respond(event_list_renderers(exchange), filename="events.csv")


@router.get(
    "/events.geojson",
    response_model=None,
    response_class=Response,
    responses=openapi({MediaType.GEOJSON: GEOJSON_SCHEMA}),
)
def events_geojson(exchange: GeoJSONExchange) -> Response:
    """Every matching event that has coordinates (or the first `limit`), as an RFC 7946
    FeatureCollection."""
    renderers = export_renderers(exchange, exchange.params.limit)
    return exchange.respond(renderers, forced=MediaType.GEOJSON)


@router.get(
    "/events.csv",
    response_model=None,
    response_class=Response,
    responses=openapi({MediaType.CSV: CSV_SCHEMA}),
)
def events_csv(exchange: ExportExchange) -> Response:
    """Every matching event as CSV, streamed; actors as `id:role` joined with `;`."""
    renderers = export_renderers(exchange)
    return exchange.respond(renderers, forced=MediaType.CSV, filename="events.csv")


@router.get(
    "/timeline",
    response_model=None,
    response_class=Response,
    responses=openapi({MediaType.JSON: TIMELINE_SCHEMA}),
)
def timeline(exchange: TimelineExchange) -> Response:
    """The matching events as TimelineJS 3 JSON, with operations as eras and, by default,
    as navigation rows."""
    params, request, pin = exchange.params, exchange.request, exchange.pin
    filters = known_event_filter(exchange.session, params, pin=pin)
    operations = EventFilter(
        earliest=filters.earliest, latest=filters.latest, types=[EventType.OPERATION]
    )

    def as_timeline(lang: Language) -> Body:
        listed = stream_events(request, filters, False, lang, in_full=True, pin=pin)
        events = islice(listed, params.limit)
        eras = stream_events(request, operations, False, lang, pin=pin)
        period = params.from_ or params.to
        return Body(timelinejs.timeline(events, eras, lang, params.group, period))

    return exchange.respond({MediaType.JSON: as_timeline})


@router.get(
    "/events/{event_id}",
    response_model=EventRead,
    responses=openapi(
        {MediaType.JSON: None, MediaType.JSONLD: JSONLD_SCHEMA}, not_found="No such event."
    )
    | GONE,
)
def get_event(exchange: PinExchange, event_id: EventId) -> Response:
    """One event in full: actors, figures, sources with quotes, disputes, relations both ways.

    `Accept: application/ld+json` returns a schema.org Event.
    """
    session, request = exchange.session, exchange.request
    overlay = None
    found: bytes | None = None
    if exchange.pin is None:
        # The JSON in the negotiated language doubles as the existence check, and carries
        # the data version: one statement.
        one_statement(session)
        found = queries.get_event_json(session, event_id, exchange.language.value)
        if found is None:
            raise missing(session, "event", event_id)
    else:
        overlay = locate(session, exchange.pin, "event", event_id)

    def as_json(lang: Language) -> Body:
        if found is not None:
            return Body(absolute_event_urls(request, found))
        with overlay_session(overlay) as side:
            pinned = queries.get_event_json(side or session, event_id, lang.value)
        if pinned is None:  # located above, in the same snapshot
            raise NotFound(f"no event with id {event_id!r}")
        return Body(absolute_event_urls(request, pinned))

    def as_jsonld(lang: Language) -> Body:
        with overlay_session(overlay) as side:
            event = queries.get_event(side or exchange.session, event_id)
            if event is None:  # the check above ran in the same snapshot
                raise NotFound(f"no event with id {event_id!r}")
            return Body(orjson.dumps(jsonld.event(event, lang, base_url(request))))

    renderers: Renderers = {MediaType.JSON: as_json, MediaType.JSONLD: as_jsonld}
    return exchange.respond(renderers)
