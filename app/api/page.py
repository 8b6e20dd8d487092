"""The timeline page: `/` in HTML (the index in JSON) and each event's own page, `/e/{id}`.

Both are rendered on the server from the same queries as the API, readable without
JavaScript; `app/static/page/app.js` then applies filters without reloading.
"""

from fastapi import APIRouter, Request, Response

from app import __version__, queries
from app.api.ids import EventId
from app.api.known import known_event_filter
from app.api.respond import Body, LangExchange, PageViewExchange, Renderers, model_body, openapi
from app.api.tombstones import GONE, missing
from app.api.urls import absolute, base_url
from app.negotiation import MediaType
from app.page import view
from app.page.render import render
from app.page.words import OG_LOCALES
from app.schemas import IndexRead
from app.vocabulary import Language

router = APIRouter(tags=["service"])
NAME = "Sahel Timeline API"
HTML = {"type": "string", "description": "The page, rendered on the server."}
LINKS = {
    "events": "/events",
    "actors": "/actors",
    "event_types": "/event-types",
    "tags": "/tags",
    "countries": "/countries",
    "timeline": "/timeline",
    "health": "/health",
    "docs": "/docs",
    "redoc": "/redoc",
    "openapi": "/openapi.json",
}
INDEX = IndexRead(
    name=NAME,
    version=__version__,
    description="A curated, sourced timeline of France's military engagement in the Sahel.",
    links=LINKS,
)


def _shared(request: Request, lang: Language) -> dict[str, str]:
    """What both pages' templates need of the request: the service's root, the locale."""
    return {"url_root": base_url(request), "locale": OG_LOCALES[lang]}


@router.get(
    "/",
    response_model=IndexRead,
    responses=openapi({MediaType.JSON: None, MediaType.HTML: HTML}),
)
def index(exchange: PageViewExchange) -> Response:
    """Name, version and links; a browser asking for HTML gets the timeline page, with the
    events that the filters of `/events` in the query match."""
    filters = known_event_filter(exchange.session, exchange.params)
    request, session = exchange.request, exchange.session
    pairs = list(request.query_params.multi_items())

    def as_json(_lang: Language) -> Body:
        return model_body(INDEX)

    def as_html(lang: Language) -> Body:
        context = view.timeline(session, filters, pairs, lang)
        page_url = absolute(request, "/" + view.query_string(pairs, lang=lang.value))
        return Body(render("timeline.html", url=page_url, **_shared(request, lang), **context))

    renderers: Renderers = {MediaType.JSON: as_json, MediaType.HTML: as_html}
    return exchange.respond(renderers)


@router.get(
    "/e/{event_id}",
    response_model=None,
    response_class=Response,
    responses=openapi({MediaType.HTML: HTML}, not_found="No such event.") | GONE,
)
def event_page(exchange: LangExchange, event_id: EventId) -> Response:
    """One event's own page, to link to and share: the event in full, with Open Graph and
    Twitter card tags in the page's language."""
    session, request = exchange.session, exchange.request
    if not queries.event_exists(session, event_id):
        raise missing(session, "event", event_id)
    pairs = list(request.query_params.multi_items())

    def as_html(lang: Language) -> Body:
        context = view.one_event(session, event_id, pairs, lang)
        page_url = absolute(request, f"/e/{event_id}?lang={lang.value}")
        return Body(render("event.html", url=page_url, **_shared(request, lang), **context))

    return exchange.respond({MediaType.HTML: as_html})
