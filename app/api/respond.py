"""How a GET is answered: the `Exchange` a route receives, and the one way it responds.

A route declares one `Exchange` dependency: the request, its session, its validated
parameters and the negotiated language. It parses what it needs, then hands a renderer per
media type it offers to `Exchange.respond`, which picks one from `Accept` (or the suffix
route's forced type), answers 304 when the client's copy is current, renders, and builds
the response with its validators, `Content-Language`, a `Link` to the next page and, for
a CSV stream, a filename.
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session

from app.api import conditional
from app.api.params import (
    ActorFilterParams,
    ActorParams,
    ChangesParams,
    EventParams,
    ExportParams,
    FacetParams,
    GeoJSONParams,
    LangParams,
    PageViewParams,
    PinParams,
    ReleasesParams,
    TimelineParams,
)
from app.api.pinning import IMMUTABLE, Pin, resolve
from app.db import request_session
from app.negotiation import MediaType, choose_language, documented, negotiate
from app.overlay import Overlay
from app.queries import get_dataset
from app.schemas import FeatureCollection, Timeline
from app.vocabulary import Language

CONTENT_TYPES = {
    MediaType.JSON: "application/json",
    MediaType.GEOJSON: "application/geo+json",
    MediaType.JSONLD: "application/ld+json",
    MediaType.CSV: "text/csv; charset=utf-8",
    MediaType.HTML: "text/html; charset=utf-8",
    MediaType.ATOM: "application/atom+xml; charset=utf-8",
}
# Documents no response model declares: `app.openapi` adds their schemas to the components.
GEOJSON_SCHEMA = {"$ref": f"#/components/schemas/{FeatureCollection.__name__}"}
TIMELINE_SCHEMA = {"$ref": f"#/components/schemas/{Timeline.__name__}"}
CSV_SCHEMA = {"type": "string", "description": "RFC 4180 CSV, UTF-8, with a header row."}
JSONLD_SCHEMA = {"type": "object", "description": "schema.org JSON-LD."}


@dataclass(frozen=True)
class Body:
    """One rendered representation: whole bytes, or text streamed as it is produced."""

    content: bytes | Iterator[str]
    next: str | None = None  # the next page's URL, also sent as an RFC 8288 `Link`


def model_body(model: BaseModel, next_page: str | None = None) -> Body:
    """A response model as its JSON bytes."""
    return Body(model.model_dump_json(by_alias=True).encode(), next_page)


Renderers = Mapping[MediaType, Callable[[Language], Body]]
P = TypeVar("P", bound=LangParams, covariant=True)


@dataclass(frozen=True)
class Exchange(Generic[P]):
    """One GET in hand: its request and session, validated parameters, negotiated language."""

    request: Request
    session: Session
    params: P
    language: Language
    _pin: list[Pin | None] = field(default_factory=list, repr=False, compare=False)

    @property
    def pin(self) -> Pin | None:
        """The release `release=N` pins the response to; a 404 if there is none.

        Resolved on first use, in the route's worker thread: it reads the database, and
        may build the release's overlay, which the event loop must never wait for. (Not a
        `cached_property`, whose lock Python 3.11 shares between all instances.)
        """
        if not self._pin:
            self._pin.append(resolve(self.session, getattr(self.params, "release", None)))
        return self._pin[0]

    @property
    def overlay(self) -> Overlay | None:
        """Where a pinned read finds the records changed since its release (`app.overlay`)."""
        return None if self.pin is None else self.pin.overlay

    def respond(
        self,
        renderers: Renderers,
        *,
        forced: MediaType | None = None,
        filename: str | None = None,
        max_age: int | None = None,
    ) -> Response:
        """The response in the representation the client asked for, or a 304."""
        request, language = self.request, self.language
        media_type = forced or negotiate(request, list(renderers))
        parts = (media_type.value, language.value)
        if self.pin is None:
            current = conditional.validators(request, self.session, *parts)
            if max_age is None:
                max_age = request.app.state.settings.cache_max_age
        else:
            current = conditional.Validators(self.pin.etag(request, *parts), self.pin.created_at)
        headers = {**conditional.headers(current, max_age or 0), "Content-Language": language.value}
        if self.pin is not None:
            headers["Cache-Control"] = IMMUTABLE
            headers["Dataset-Release"] = str(self.pin.release)
        elif (dataset := get_dataset(self.session)) is not None and dataset.release is not None:
            headers["Dataset-Release"] = str(dataset.release)
        if conditional.is_fresh(request, current):
            raise conditional.NotModified(headers)
        body = renderers[media_type](language)
        # Rendered (or, for a stream, reading through its own sessions): give the connection
        # back before the response is sent.
        self.session.close()
        if body.next is not None:
            headers["Link"] = f'<{body.next}>; rel="next"'
        content_type = CONTENT_TYPES[media_type]
        if isinstance(body.content, bytes):
            return Response(body.content, media_type=content_type, headers=headers)
        if filename:
            headers["Content-Disposition"] = f'attachment; filename="{filename}"'
        return StreamingResponse(body.content, media_type=content_type, headers=headers)


def open_exchange(request: Request, params: LangParams) -> Exchange[Any]:
    """The exchange of `request` with its validated `params`, and the session it reads with.

    The request's own exit stack closes the session once the response is sent or an error
    raised. Opening a session does no I/O: its connection is taken on first use, in the
    endpoint's thread, and given back there.
    """
    session = request_session(request)
    request.scope["fastapi_inner_astack"].callback(session.close)
    return Exchange(request, session, params, choose_language(request, params.lang))


def _exchange(model: type[P]) -> Any:
    """The dependency that declares an `Exchange` whose parameters are `model`, from the
    query. `app.api.exchange_route` validates those without FastAPI's dependency solving;
    an endpoint it does not take over gets the exchange from this dependency."""

    async def dependency(request: Request, params: Any) -> Exchange[P]:
        return open_exchange(request, params)

    # FastAPI reads the parameter model from the annotation: one dependency per model.
    dependency.__annotations__["params"] = Annotated[model, Query()]
    return Depends(dependency)


LangExchange = Annotated[Exchange[LangParams], _exchange(LangParams)]
PinExchange = Annotated[Exchange[PinParams], _exchange(PinParams)]
ReleasesExchange = Annotated[Exchange[ReleasesParams], _exchange(ReleasesParams)]
TimelineExchange = Annotated[Exchange[TimelineParams], _exchange(TimelineParams)]
GeoJSONExchange = Annotated[Exchange[GeoJSONParams], _exchange(GeoJSONParams)]
ExportExchange = Annotated[Exchange[ExportParams], _exchange(ExportParams)]
EventExchange = Annotated[Exchange[EventParams], _exchange(EventParams)]
FacetExchange = Annotated[Exchange[FacetParams], _exchange(FacetParams)]
ActorExchange = Annotated[Exchange[ActorParams], _exchange(ActorParams)]
ActorFilterExchange = Annotated[Exchange[ActorFilterParams], _exchange(ActorFilterParams)]
ChangesExchange = Annotated[Exchange[ChangesParams], _exchange(ChangesParams)]
PageViewExchange = Annotated[Exchange[PageViewParams], _exchange(PageViewParams)]


def openapi(
    offered: Mapping[MediaType, Any], *, not_found: str | None = None
) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI `responses` of a route: every representation, 304, and 404 if it can be.

    The errors every route shares (400, 406, 413, 414, 431, 503) are added by `app.openapi`.
    """
    responses: dict[int | str, dict[str, Any]] = {
        200: {"description": "Success.", "content": documented(list(offered), dict(offered))},
        304: {"description": "The client's copy (If-None-Match / If-Modified-Since) is current."},
    }
    if not_found:
        responses[404] = {"description": not_found}
    return responses
