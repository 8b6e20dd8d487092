"""Event lists as `/events` and `/actors/{id}/events` render them: a JSON page or an export."""

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import orjson
from fastapi import Request

from app import queries
from app.api.known import known_event_filter
from app.api.params import EventParams, ExportParams, event_cursor, event_key, ranked
from app.api.pinning import Pin, overlay_session
from app.api.respond import CSV_SCHEMA, GEOJSON_SCHEMA, Body, Exchange, Renderers
from app.api.urls import absolute_event_urls, base_url, next_url
from app.formats import geojson, tabular
from app.negotiation import MediaType
from app.queries import EventFilter, EventKey
from app.vocabulary import Language

LIST_TYPES = {MediaType.JSON: None, MediaType.GEOJSON: GEOJSON_SCHEMA, MediaType.CSV: CSV_SCHEMA}


def stream_events(
    request: Request,
    filters: EventFilter,
    descending: bool,
    lang: Language,
    *,
    in_full: bool = False,
    ranked: bool = False,
    pin: Pin | None = None,
) -> Iterator[dict[str, Any]]:
    """Every matching event (as listed, or `in_full`; by date or `ranked` by relevance),
    1,000 at a time, each page from a session of its own: a stream outlives the request's
    session, and holds no connection between pages. Pinned, each page reads the overlay that
    matches its session."""
    after, base = None, base_url(request)
    while True:
        with request.app.state.sessionmaker() as session:
            overlay = None if pin is None else pin.overlay_at(session)
            pinned = replace(filters, pinned=None if overlay is None else overlay.release)
            with overlay_session(overlay) as side:
                page = queries.list_events(
                    session,
                    pinned,
                    lang.value,
                    descending=descending,
                    after=after,
                    limit=1000,
                    in_full=in_full,
                    ranked=ranked,
                    overlay=side,
                )
        for listing in page.rows:
            item = orjson.loads(listing.json)
            item["url"] = base + item["url"]
            yield item
        if not page.has_more:
            return
        last = page.rows[-1]
        after = EventKey(earliest=last.earliest, id=last.id, tier=last.tier)


def _page(
    exchange: Exchange[EventParams], filters: EventFilter, after: EventKey | None, lang: Language
) -> Body:
    """An `EventPage` around the items' JSON as the database built it."""
    params = exchange.params
    with overlay_session(exchange.overlay) as side:
        page = queries.list_events(
            exchange.session,
            filters,
            lang.value,
            descending=params.sort == "-date",
            after=after,
            limit=params.limit,
            ranked=params.sort == "relevance",
            overlay=side,
        )
    cursor = event_cursor(params, page.rows[-1]) if page.has_more else None
    next_page = next_url(exchange.request, cursor)
    listed = b",".join(listing.json for listing in page.rows)
    items = orjson.Fragment(b"[" + absolute_event_urls(exchange.request, listed) + b"]")
    return Body(orjson.dumps({"items": items, "total": page.total, "next": next_page}), next_page)


def _exports(
    exchange: Exchange[Any], filters: EventFilter, params: ExportParams, limit: int | None = None
) -> Renderers:
    """GeoJSON (its first `limit` features, if given) and CSV of every matching event,
    streamed in the order `params` asks for."""
    request, pin = exchange.request, exchange.pin
    descending, by_relevance = params.sort == "-date", ranked(params)

    def events(lang: Language) -> Iterator[dict[str, Any]]:
        return stream_events(request, filters, descending, lang, ranked=by_relevance, pin=pin)

    def as_geojson(lang: Language) -> Body:
        return Body(geojson.collection(events(lang), limit))

    def as_csv(lang: Language) -> Body:
        return Body(tabular.events(events(lang)))

    return {MediaType.GEOJSON: as_geojson, MediaType.CSV: as_csv}


def export_renderers(exchange: Exchange[ExportParams], limit: int | None = None) -> Renderers:
    """The exports of an event list, for `/events.csv` and `/events.geojson` (`limit`)."""
    params = exchange.params
    filters = known_event_filter(exchange.session, params, pin=exchange.pin)
    return _exports(exchange, filters, params, limit)


def event_list_renderers(
    exchange: Exchange[EventParams], within_actor: str | None = None
) -> Renderers:
    """A JSON page and the exports of an event list, for `/events` and `/actors/{id}/events`.

    Filters and cursor are parsed here, before negotiation, revalidation and rendering.
    """
    params = exchange.params
    filters = known_event_filter(exchange.session, params, within_actor, exchange.pin)
    after = event_key(params)

    def as_json(lang: Language) -> Body:
        return _page(exchange, filters, after, lang)

    exports = _exports(exchange, filters, params)
    return {MediaType.JSON: as_json, **exports}
