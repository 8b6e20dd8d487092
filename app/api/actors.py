"""`/actors`: who takes part, their links to each other, and their events."""

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from app import queries, serializers
from app.api.deps import (
    ActorFilterQuery,
    ActorParams,
    ActorQuery,
    EventQuery,
    LangQuery,
    actor_filter,
    decode_cursor,
    encode_cursor,
    next_url,
)
from app.api.events import (
    CSV_SCHEMA,
    JSONLD_SCHEMA,
    LIST_TYPES,
    event_list_renderers,
)
from app.api.respond import Renderers, negotiated, openapi
from app.db import SessionDep
from app.errors import NotFound
from app.formats import jsonld, tabular
from app.models import Actor
from app.negotiation import MediaType
from app.queries import ActorFilter
from app.schemas import SLUG_PATTERN, ActorPage, ActorRead, EventPage
from app.vocabulary import Language

router = APIRouter(tags=["actors"])

ActorId = Annotated[
    str,
    Path(description="The actor's id.", examples=["takuba"], max_length=100, pattern=SLUG_PATTERN),
]


def _streamed(request: Request, filters: ActorFilter) -> Iterator[Actor]:
    """Matching actors from a session of their own: a stream outlives the request's."""
    with request.app.state.sessionmaker() as session:
        yield from queries.iter_actors(session, filters)


def _page(session: SessionDep, request: Request, params: ActorParams, lang: Language) -> ActorPage:
    after = decode_cursor(params.cursor, 1)[0] if params.cursor else None
    page = queries.list_actors(session, actor_filter(params), after=after, limit=params.limit)
    cursor = encode_cursor(page.rows[-1].id) if page.has_more else None
    return ActorPage(
        items=[serializers.actor_summary(row, lang) for row in page.rows],
        total=page.total,
        next=next_url(request, cursor),
    )


@router.get(
    "/actors",
    response_model=ActorPage,
    responses=openapi({MediaType.JSON: None, MediaType.CSV: CSV_SCHEMA}),
)
def list_actors(session: SessionDep, request: Request, params: ActorQuery) -> Response:
    """Actors in id order, filtered by kind, country and text.

    `Accept: text/csv` returns every matching actor as CSV.
    """

    def as_json(lang: Language) -> ActorPage:
        return _page(session, request, params, lang)

    def as_csv(lang: Language) -> Iterator[str]:
        return tabular.actors(_streamed(request, actor_filter(params)), lang)

    renderers: Renderers = {MediaType.JSON: as_json, MediaType.CSV: as_csv}
    return negotiated(request, session, params.lang, renderers, filename="actors.csv")


@router.get(
    "/actors.csv",
    response_model=None,
    response_class=Response,
    responses=openapi({MediaType.CSV: CSV_SCHEMA}),
)
def actors_csv(session: SessionDep, request: Request, params: ActorFilterQuery) -> Response:
    """Every matching actor as CSV, streamed; aliases joined with `;`."""

    def as_csv(lang: Language) -> Iterator[str]:
        return tabular.actors(_streamed(request, actor_filter(params)), lang)

    return negotiated(
        request,
        session,
        params.lang,
        {MediaType.CSV: as_csv},
        forced=MediaType.CSV,
        filename="actors.csv",
    )


@router.get(
    "/actors/{actor_id}",
    response_model=ActorRead,
    responses=openapi(
        {MediaType.JSON: None, MediaType.JSONLD: JSONLD_SCHEMA}, not_found="No such actor."
    ),
)
def get_actor(
    session: SessionDep, request: Request, actor_id: ActorId, params: LangQuery
) -> Response:
    """One actor with its links to other actors, in both directions.

    `Accept: application/ld+json` returns a schema.org Person, Country or Organization.
    """
    actor = queries.get_actor(session, actor_id)
    if actor is None:
        raise NotFound(f"no actor with id {actor_id!r}")
    base_url = str(request.base_url)

    def as_json(lang: Language) -> ActorRead:
        return serializers.actor(actor, lang)

    def as_jsonld(lang: Language) -> dict[str, Any]:
        return jsonld.actor(actor, lang, base_url)

    renderers: Renderers = {MediaType.JSON: as_json, MediaType.JSONLD: as_jsonld}
    return negotiated(request, session, params.lang, renderers)


@router.get(
    "/actors/{actor_id}/events",
    response_model=EventPage,
    responses=openapi(LIST_TYPES, not_found="No such actor."),
)
def list_actor_events(
    session: SessionDep, request: Request, actor_id: ActorId, params: EventQuery
) -> Response:
    """The events an actor takes part in; the same filters, paging and formats as `/events`."""
    if not queries.actor_exists(session, actor_id):
        raise NotFound(f"no actor with id {actor_id!r}")
    renderers = event_list_renderers(session, request, params, within_actor=actor_id)
    return negotiated(request, session, params.lang, renderers, filename=f"{actor_id}-events.csv")
