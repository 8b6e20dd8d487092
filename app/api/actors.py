"""`/actors`: who takes part, their links to each other, and their events."""

from collections.abc import Iterator

import orjson
from fastapi import APIRouter, Request, Response

from app import queries, serializers
from app.api.event_lists import LIST_TYPES, event_list_renderers
from app.api.known import known_actor_filter
from app.api.params import ActorId, actor_cursor, actor_key
from app.api.respond import (
    CSV_SCHEMA,
    JSONLD_SCHEMA,
    ActorExchange,
    ActorFilterExchange,
    Body,
    EventExchange,
    LangExchange,
    Renderers,
    model_body,
    openapi,
)
from app.api.tombstones import GONE, missing
from app.api.urls import base_url, next_url
from app.errors import NotFound
from app.formats import jsonld, tabular
from app.models import Actor
from app.negotiation import MediaType
from app.queries import ActorFilter
from app.schemas import ActorPage, ActorRead, EventPage
from app.vocabulary import Language

router = APIRouter(tags=["actors"])


def _streamed(request: Request, filters: ActorFilter) -> Iterator[Actor]:
    """Matching actors from a session of their own: a stream outlives the request's."""
    with request.app.state.sessionmaker() as session:
        yield from queries.iter_actors(session, filters)


def _csv(request: Request, filters: ActorFilter) -> Renderers:
    """Every matching actor as CSV, streamed."""

    def as_csv(lang: Language) -> Body:
        return Body(tabular.actors(_streamed(request, filters), lang, base_url(request)))

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
    params, request = exchange.params, exchange.request
    filters, after = known_actor_filter(exchange.session, params), actor_key(params)

    base = base_url(request)

    def as_json(lang: Language) -> Body:
        page = queries.list_actors(exchange.session, filters, after=after, limit=params.limit)
        cursor = actor_cursor(page.rows[-1]) if page.has_more else None
        listed = ActorPage(
            items=[serializers.actor_summary(row.actor, lang, base) for row in page.rows],
            total=page.total,
            next=next_url(request, cursor),
        )
        return model_body(listed, listed.next)

    renderers: Renderers = {MediaType.JSON: as_json, **_csv(request, filters)}
    return exchange.respond(renderers, filename="actors.csv")


@router.get(
    "/actors.csv",
    response_model=None,
    response_class=Response,
    responses=openapi({MediaType.CSV: CSV_SCHEMA}),
)
def actors_csv(exchange: ActorFilterExchange) -> Response:
    """Every matching actor as CSV, streamed; aliases joined with `;`."""
    renderers = _csv(exchange.request, known_actor_filter(exchange.session, exchange.params))
    return exchange.respond(renderers, forced=MediaType.CSV, filename="actors.csv")


@router.get(
    "/actors/{actor_id}",
    response_model=ActorRead,
    responses=openapi(
        {MediaType.JSON: None, MediaType.JSONLD: JSONLD_SCHEMA}, not_found="No such actor."
    )
    | GONE,
)
def get_actor(exchange: LangExchange, actor_id: ActorId) -> Response:
    """One actor with its links to other actors, in both directions.

    `Accept: application/ld+json` returns a schema.org Person, Country or Organization.
    """
    actor = queries.get_actor(exchange.session, actor_id)
    if actor is None:
        raise missing(exchange.session, "actor", actor_id)
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
    responses=openapi(LIST_TYPES, not_found="No such actor."),
)
def list_actor_events(exchange: EventExchange, actor_id: ActorId) -> Response:
    """The events an actor takes part in; the same filters, paging and formats as `/events`."""
    renderers = event_list_renderers(exchange, within_actor=actor_id)
    if not queries.actor_exists(exchange.session, actor_id):
        raise NotFound(f"no actor with id {actor_id!r}")
    return exchange.respond(renderers, filename=f"{actor_id}-events.csv")
