"""`/actors`: who takes part, their links to each other, and their events."""

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from app import queries, serializers
from app.api.deps import (
    ActorQuery,
    EventQuery,
    LangQuery,
    decode_cursor,
    encode_cursor,
    negotiate_language,
    next_url,
    set_link_header,
)
from app.api.events import PROBLEMS, event_page
from app.db import SessionDep
from app.errors import NotFound
from app.schemas import ActorPage, ActorRead, EventPage

router = APIRouter(tags=["actors"])

ActorId = Annotated[str, Path(description="The actor's id.", examples=["takuba"], max_length=100)]


@router.get("/actors", responses={400: PROBLEMS[400]})
def list_actors(
    session: SessionDep, request: Request, response: Response, params: ActorQuery
) -> ActorPage:
    """Actors in id order, filtered by kind, country and text."""
    lang = negotiate_language(request, response, params.lang)
    after = decode_cursor(params.cursor, 1)[0] if params.cursor else None
    page = queries.list_actors(
        session,
        kinds=params.kind,
        countries=params.country,
        text=params.q,
        after=after,
        limit=params.limit,
    )
    url = next_url(request, encode_cursor(page.rows[-1].id) if page.has_more else None)
    set_link_header(response, url)
    return ActorPage(
        items=[serializers.actor_summary(row, lang) for row in page.rows],
        total=page.total,
        next=url,
    )


@router.get("/actors/{actor_id}", responses=PROBLEMS)
def get_actor(
    session: SessionDep, request: Request, response: Response, actor_id: ActorId, params: LangQuery
) -> ActorRead:
    """One actor with its links to other actors, in both directions."""
    lang = negotiate_language(request, response, params.lang)
    actor = queries.get_actor(session, actor_id)
    if actor is None:
        raise NotFound(f"no actor with id {actor_id!r}")
    return serializers.actor(actor, lang)


@router.get("/actors/{actor_id}/events", responses=PROBLEMS)
def list_actor_events(
    session: SessionDep,
    request: Request,
    response: Response,
    actor_id: ActorId,
    params: EventQuery,
) -> EventPage:
    """The events an actor takes part in; the same filters and paging as `/events`."""
    if not queries.actor_exists(session, actor_id):
        raise NotFound(f"no actor with id {actor_id!r}")
    return event_page(session, request, response, params, within_actor=actor_id)
