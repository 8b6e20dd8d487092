"""The service itself: its index, its health and the event-type vocabulary."""

from fastapi import APIRouter, Request, Response
from sqlalchemy.exc import SQLAlchemyError

from app import __version__, queries
from app.api.deps import LangQuery, negotiate_language
from app.db import SessionDep
from app.errors import Unavailable
from app.schemas import EventTypeRead, HealthRead, IndexRead, Problem
from app.vocabulary import EVENT_TYPE_LABELS

router = APIRouter(tags=["service"])
NAME = "Sahel Timeline API"


@router.get("/")
def index(params: LangQuery) -> IndexRead:
    """Name, version and links to the collections and the docs."""
    return IndexRead(
        name=NAME,
        version=__version__,
        description="A curated, sourced timeline of France's military engagement in the Sahel.",
        links={
            "events": "/events",
            "actors": "/actors",
            "event_types": "/event-types",
            "health": "/health",
            "docs": "/docs",
            "redoc": "/redoc",
            "openapi": "/openapi.json",
        },
    )


@router.get(
    "/health",
    responses={503: {"model": Problem, "description": "The database cannot answer."}},
)
def health(session: SessionDep, params: LangQuery) -> HealthRead:
    """Whether the database answers; 503 when it does not."""
    try:
        events = queries.count_events(session)
    except SQLAlchemyError as exc:
        raise Unavailable(f"the database cannot answer: {type(exc).__name__}") from None
    bind = session.get_bind()
    return HealthRead(status="ok", database=bind.dialect.name, events=events)


@router.get("/event-types")
def list_event_types(
    session: SessionDep, request: Request, response: Response, params: LangQuery
) -> list[EventTypeRead]:
    """Every event type, its label and how many events have it."""
    lang = negotiate_language(request, response, params.lang)
    counts = queries.count_events_by_type(session)
    return [
        EventTypeRead(
            id=event_type, label=getattr(labels, lang.value), count=counts.get(event_type, 0)
        )
        for event_type, labels in EVENT_TYPE_LABELS.items()
    ]
