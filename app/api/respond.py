"""One way to answer a GET: negotiate, revalidate, then render the chosen representation.

Each route passes a renderer per media type it offers; this module picks one from `Accept`
(or the suffix route's forced type), answers 304 when the client's copy is current, and
builds the response with its validators, `Content-Language` and, for CSV, a filename.
"""

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import orjson
from fastapi import Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session

from app.api import conditional
from app.api.deps import choose_language
from app.negotiation import MediaType, documented, negotiate
from app.vocabulary import Language

Body = BaseModel | Sequence[BaseModel] | dict[str, Any] | bytes | str | Iterator[str]
Renderers = Mapping[MediaType, Callable[[Language], Body]]

CONTENT_TYPES = {
    MediaType.JSON: "application/json",
    MediaType.GEOJSON: "application/geo+json",
    MediaType.JSONLD: "application/ld+json",
    MediaType.CSV: "text/csv; charset=utf-8",
    MediaType.HTML: "text/html; charset=utf-8",
}


def negotiated(
    request: Request,
    session: Session,
    lang: Language | None,
    renderers: Renderers,
    *,
    forced: MediaType | None = None,
    filename: str | None = None,
    max_age: int | None = None,
) -> Response:
    """The response to a GET in the representation the client asked for."""
    media_type = forced or negotiate(request, list(renderers))
    language = choose_language(request, lang)
    current = conditional.validators(request, session, media_type.value, language.value)
    if max_age is None:
        max_age = request.app.state.settings.cache_max_age
    headers = {**conditional.headers(current, max_age), "Content-Language": language.value}
    if conditional.is_fresh(request, current):
        raise conditional.NotModified(headers)
    content_type = CONTENT_TYPES[media_type]
    body = renderers[media_type](language)
    # Rendered (or, for a stream, reading through its own session): give the connection
    # back before the response is sent.
    session.close()
    if isinstance(body, Iterator):
        if filename:
            headers["Content-Disposition"] = f'attachment; filename="{filename}"'
        return StreamingResponse(body, media_type=content_type, headers=headers)
    extra: dict[str, str] = {}
    if isinstance(body, BaseModel):
        content = body.model_dump_json(by_alias=True).encode()
    elif isinstance(body, bytes):
        content = body
    elif isinstance(body, str):
        content = body.encode()
    elif isinstance(body, dict):
        content = orjson.dumps(body)
    else:
        models: Sequence[BaseModel] = body
        content = b"[" + b",".join(model.model_dump_json().encode() for model in models) + b"]"
    next_page = body.get("next") if isinstance(body, dict) else getattr(body, "next", None)
    if isinstance(next_page, str):  # RFC 8288, for clients that page by headers
        extra["Link"] = f'<{next_page}>; rel="next"'

    return Response(content, media_type=content_type, headers=headers | extra)


def openapi(
    offered: Mapping[MediaType, Any], *, not_found: str | None = None
) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI `responses` of a route: every representation, 304, and 404 if it can be.

    The errors every route shares (400, 406, 503) are added by `app.openapi`.
    """
    responses: dict[int | str, dict[str, Any]] = {
        200: {"description": "Success.", "content": documented(list(offered), dict(offered))},
        304: {"description": "The client's copy (If-None-Match / If-Modified-Since) is current."},
    }
    if not_found:
        responses[404] = {"description": not_found}
    return responses
