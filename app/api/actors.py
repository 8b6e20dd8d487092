"""`/actors`: who takes part, their links to each other, and their events."""

from collections.abc import Iterator
from dataclasses import replace

import orjson
from fastapi import APIRouter, Request, Response

from app import queries, serializers
from app.api.event_lists import LIST_TYPES, event_list_renderers
from app.api.known import known_actor_filter
from app.api.params import ActorId, actor_cursor, actor_key
from app.api.pinning import Pin, locate, overlay_session
from app.api.respond import (
    CSV_SCHEMA,
    JSONLD_SCHEMA,
    ActorExchange,
    ActorFilterExchange,
    Body,
    EventExchange,
    PinExchange,
    Renderers,
    model_body,
    openapi,
)
from app.api.tombstones import GONE
from app.api.urls import base_url, next_url
from app.errors import NotFound
from app.formats import jsonld, tabular
from app.models import Actor
from app.negotiation import MediaType
from app.queries import ActorFilter
from app.schemas import ActorPage, ActorRead, EventPage
from app.vocabulary import Language

router = APIRouter(tags=["actors"])


def _streamed(request: Request, filters: ActorFilter, pin: Pin | None) -> Iterator[Actor]:
    """Matching actors from a session of their own: a stream outlives the request's."""
    with request.app.state.sessionmaker() as session:
        overlay = None if pin is None else pin.overlay_at(session)
        pinned = replace(filters, pinned=None if overlay is None else overlay.release)
        with overlay_session(overlay) as side:
            yield from queries.iter_actors(session, pinned, overlay=side)


def _csv(request: Request, filters: ActorFilter, pin: Pin | None) -> Renderers:
    """Every matching actor as CSV, streamed."""

    def as_csv(lang: Language) -> Body:
        actors = _streamed(request, filters, pin)
        return Body(tabular.actors(actors, lang, base_url(request)))

    return {MediaType.CSV: as_csv}


@router.get(
    "/actors",
    response_model=ActorPage,
    responses=openapi({MediaType.JSON: None, MediaType.CSV: CSV_SCHEMA}),
)
def list_actors(exchange: ActorExchange) -> Response:
    """Actors in id order, filtered by kind, country and text; with `q`, by relevance:
    a whole name or alias first, then names holding every word, then the rest.

    `Accept: text/csv` returns every matching actor as CSV.
    """
    params, request, pin = exchange.params, exchange.request, exchange.pin
    filters, after = known_actor_filter(exchange.session, params, pin), actor_key(params)

    base = base_url(request)

    def as_json(lang: Language) -> Body:
        with overlay_session(exchange.overlay) as side:
            page = queries.list_actors(
                exchange.session, filters, after=after, limit=params.limit, overlay=side
            )
        cursor = actor_cursor(page.rows[-1]) if page.has_more else None
        listed = ActorPage(
            items=[serializers.actor_summary(row.actor, lang, base) for row in page.rows],
            total=page.total,
            next=next_url(request, cursor),
        )
        return model_body(listed, listed.next)

    renderers: Renderers = {MediaType.JSON: as_json, **_csv(request, filters, pin)}
    return exchange.respond(renderers, filename="actors.csv")


@router.get(
    "/actors.csv",
    response_model=None,
    response_class=Response,
    responses=openapi({MediaType.CSV: CSV_SCHEMA}),
)
def actors_csv(exchange: ActorFilterExchange) -> Response:
    """Every matching actor as CSV, streamed; aliases joined with `;`."""
    pin = exchange.pin
    filters = known_actor_filter(exchange.session, exchange.params, pin)
    renderers = _csv(exchange.request, filters, pin)
    return exchange.respond(renderers, forced=MediaType.CSV, filename="actors.csv")


@router.get(
    "/actors/{actor_id}",
    response_model=ActorRead,
    responses=openapi(
        {MediaType.JSON: None, MediaType.JSONLD: JSONLD_SCHEMA}, not_found="No such actor."
    )
    | GONE,
)
def get_actor(exchange: PinExchange, actor_id: ActorId) -> Response:
    """One actor with its links to other actors, in both directions.

    `Accept: application/ld+json` returns a schema.org Person, Country or Organization.
    """
    overlay = locate(exchange.session, exchange.pin, "actor", actor_id)
    with overlay_session(overlay) as side:
        actor = queries.get_actor(side or exchange.session, actor_id)
    if actor is None:  # the check above ran in the same snapshot
        raise NotFound(f"no actor with id {actor_id!r}")
    base = base_url(exchange.request)

    def as_json(lang: Language) -> Body:
        return model_body(serializers.actor(actor, lang, base))

    def as_jsonld(lang: Language) -> Body:
        return Body(orjson.dumps(jsonld.actor(actor, lang, base)))

    renderers: Renderers = {MediaType.JSON: as_json, MediaType.JSONLD: as_jsonld}
    return exchange.respond(renderers)


@router.get(
    "/actors/{actor_id}/events",
    response_model=EventPage,
    responses=openapi(LIST_TYPES, not_found="No such actor.") | GONE,
)
def list_actor_events(exchange: EventExchange, actor_id: ActorId) -> Response:
    """The events an actor takes part in; the same filters, paging and formats as `/events`."""
    renderers = event_list_renderers(exchange, within_actor=actor_id)
    locate(exchange.session, exchange.pin, "actor", actor_id)
    return exchange.respond(renderers, filename=f"{actor_id}-events.csv")
