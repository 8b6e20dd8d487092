"""`/events`: the timeline, filtered and paged, and each event in full."""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from app import queries, serializers
from app.api.deps import (
    EventParams,
    EventQuery,
    LangQuery,
    date_range,
    encode_cursor,
    event_key,
    negotiate_language,
    next_url,
    set_link_header,
)
from app.db import SessionDep
from app.errors import NotFound
from app.schemas import EventPage, EventRead, Problem

router = APIRouter(tags=["events"])

EventId = Annotated[
    str,
    Path(description="The event's id.", examples=["mali-coup-2021"], max_length=100),
]
PROBLEMS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "A parameter is invalid or unknown."},
    404: {"model": Problem, "description": "No such resource."},
}


def event_page(
    session: SessionDep,
    request: Request,
    response: Response,
    params: EventParams,
    within_actor: str | None = None,
) -> EventPage:
    """A page of events for `/events` and `/actors/{id}/events`."""
    lang = negotiate_language(request, response, params.lang)
    earliest, latest = date_range(params)
    page = queries.list_events(
        session,
        earliest=earliest,
        latest=latest,
        types=params.type,
        actors=params.actor,
        within_actor=within_actor,
        countries=params.country,
        tags=params.tag,
        importance=params.importance,
        text=params.q,
        descending=params.sort == "-date",
        after=event_key(params),
        limit=params.limit,
    )
    cursor = None
    if page.has_more:
        last = page.rows[-1]
        cursor = encode_cursor(params.sort, last.earliest_date, last.id)
    url = next_url(request, cursor)
    set_link_header(response, url)
    return EventPage(
        items=[serializers.event_summary(row, lang) for row in page.rows],
        total=page.total,
        next=url,
    )


@router.get("/events", responses={400: PROBLEMS[400]})
def list_events(
    session: SessionDep, request: Request, response: Response, params: EventQuery
) -> EventPage:
    """Events in date order, filtered; each item embeds its actors with their roles."""
    return event_page(session, request, response, params)


@router.get("/events/{event_id}", responses=PROBLEMS)
def get_event(
    session: SessionDep, request: Request, response: Response, event_id: EventId, params: LangQuery
) -> EventRead:
    """One event in full: actors, figures, sources with quotes, disputes, relations both ways."""
    lang = negotiate_language(request, response, params.lang)
    event = queries.get_event(session, event_id)
    if event is None:
        raise NotFound(f"no event with id {event_id!r}")
    return serializers.event(event, lang)
