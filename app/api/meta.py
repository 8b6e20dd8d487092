"""The service itself: its health and event types; the page's static files live in `PAGE_DIR`."""

from pathlib import Path

from fastapi import APIRouter, Response
from pydantic import TypeAdapter
from sqlalchemy.exc import SQLAlchemyError

from app import db_faults, queries
from app.api.pinning import counted
from app.api.respond import Body, LangExchange, PinExchange, model_body, openapi
from app.errors import Unavailable
from app.negotiation import MediaType
from app.schemas import EventTypeRead, HealthRead
from app.vocabulary import EVENT_TYPE_LABELS, Language

router = APIRouter(tags=["service"])
EVENT_TYPES = TypeAdapter(list[EventTypeRead])
PAGE_DIR = Path(__file__).resolve().parent.parent / "static" / "page"


@router.get(
    "/health",
    response_model=HealthRead,
    responses=openapi({MediaType.JSON: None}),
)
def health(exchange: LangExchange) -> Response:
    """Whether the database answers; 503 when it does not. Never cached."""
    try:
        events = queries.count_events(exchange.session)
    except SQLAlchemyError as exc:
        raise Unavailable(db_faults.api_detail(exc)) from None
    dialect = exchange.session.get_bind().dialect.name

    def as_json(_lang: Language) -> Body:
        return model_body(HealthRead(status="ok", database=dialect, events=events))

    return exchange.respond({MediaType.JSON: as_json}, max_age=0)


@router.get(
    "/event-types", response_model=list[EventTypeRead], responses=openapi({MediaType.JSON: None})
)
def list_event_types(exchange: PinExchange) -> Response:
    """Every event type, its label and how many events have it."""

    def as_json(lang: Language) -> Body:
        counts = counted(exchange.session, exchange.pin, queries.count_events_by_type)
        types = [
            EventTypeRead(
                id=event_type, label=getattr(labels, lang.value), count=counts.get(event_type, 0)
            )
            for event_type, labels in EVENT_TYPE_LABELS.items()
        ]
        return Body(EVENT_TYPES.dump_json(types))

    return exchange.respond({MediaType.JSON: as_json})
