"""The service itself: its index (JSON, or the timeline page for browsers), health, types."""

from pathlib import Path

from fastapi import APIRouter, Request, Response
from sqlalchemy.exc import SQLAlchemyError

from app import __version__, queries
from app.api.deps import LangQuery
from app.api.respond import Renderers, negotiated, openapi
from app.db import SessionDep
from app.errors import Unavailable
from app.negotiation import MediaType
from app.schemas import EventTypeRead, HealthRead, IndexRead
from app.vocabulary import EVENT_TYPE_LABELS, Language

router = APIRouter(tags=["service"])
NAME = "Sahel Timeline API"
PAGE_DIR = Path(__file__).resolve().parent.parent / "static" / "page"
PAGE = (PAGE_DIR / "index.html").read_text(encoding="utf-8")
LINKS = {
    "events": "/events",
    "actors": "/actors",
    "event_types": "/event-types",
    "timeline": "/timeline",
    "health": "/health",
    "docs": "/docs",
    "redoc": "/redoc",
    "openapi": "/openapi.json",
}


@router.get(
    "/",
    response_model=IndexRead,
    responses=openapi(
        {MediaType.JSON: None, MediaType.HTML: {"type": "string", "description": "The page."}}
    ),
)
def index(session: SessionDep, request: Request, params: LangQuery) -> Response:
    """Name, version and links; a browser asking for HTML gets the timeline page instead."""

    def as_json(_lang: Language) -> IndexRead:
        return IndexRead(
            name=NAME,
            version=__version__,
            description="A curated, sourced timeline of France's military engagement in the Sahel.",
            links=LINKS,
        )

    def as_html(_lang: Language) -> str:
        return PAGE

    renderers: Renderers = {MediaType.JSON: as_json, MediaType.HTML: as_html}
    return negotiated(request, session, params.lang, renderers)


@router.get(
    "/health",
    response_model=HealthRead,
    responses=openapi({MediaType.JSON: None}),
)
def health(session: SessionDep, request: Request, params: LangQuery) -> Response:
    """Whether the database answers; 503 when it does not. Never cached."""
    try:
        events = queries.count_events(session)
    except SQLAlchemyError as exc:
        raise Unavailable(f"the database cannot answer: {type(exc).__name__}") from None
    dialect = session.get_bind().dialect.name

    def as_json(_lang: Language) -> HealthRead:
        return HealthRead(status="ok", database=dialect, events=events)

    return negotiated(request, session, params.lang, {MediaType.JSON: as_json}, max_age=0)


@router.get(
    "/event-types", response_model=list[EventTypeRead], responses=openapi({MediaType.JSON: None})
)
def list_event_types(session: SessionDep, request: Request, params: LangQuery) -> Response:
    """Every event type, its label and how many events have it."""

    def as_json(lang: Language) -> list[EventTypeRead]:
        counts = queries.count_events_by_type(session)
        return [
            EventTypeRead(
                id=event_type, label=getattr(labels, lang.value), count=counts.get(event_type, 0)
            )
            for event_type, labels in EVENT_TYPE_LABELS.items()
        ]

    return negotiated(request, session, params.lang, {MediaType.JSON: as_json})
