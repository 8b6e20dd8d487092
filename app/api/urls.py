"""Absolute URLs in responses: `url`, `next` and `Link` name the service, not just a path.

A frontend on another origin follows them as they are. The base is `PUBLIC_BASE_URL` when
set (the address clients use behind a proxy), otherwise the request's own scheme, host and
root path: uvicorn rewrites the scheme from `X-Forwarded-Proto` only for the peers in
`FORWARDED_ALLOW_IPS` (`--proxy-headers`), and the host is the `Host` header as received.
"""

import re
from urllib.parse import urlencode

import orjson
from fastapi import Request

# Every event object the database builds carries its path under this key, once (PostgreSQL
# writes spaces around the colon); a JSON string value cannot hold an unescaped quote, so
# the pattern matches nothing else.
_EVENT_PATH = re.compile(rb'"url" ?: ?"/events/')


def base_url(request: Request) -> str:
    """Scheme, host and root path that links in responses start with, without a final `/`."""
    configured: str | None = request.app.state.settings.public_base_url
    return configured or str(request.base_url).rstrip("/")


def absolute(request: Request, path: str) -> str:
    """`path` (starting with `/`) as an absolute URL of this service."""
    return base_url(request) + path


def absolute_event_urls(request: Request, json: bytes) -> bytes:
    """Event JSON from the database with each event's `url` made absolute."""
    prefix = b'"url":"' + orjson.dumps(base_url(request))[1:-1] + b"/events/"
    return _EVENT_PATH.sub(lambda _: prefix, json)


def next_url(request: Request, cursor: str | None) -> str | None:
    """The absolute URL of the next page: this request's query with the new cursor."""
    if cursor is None:
        return None
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor"]
    query.append(("cursor", cursor))
    return absolute(request, f"{request.url.path}?{urlencode(query)}")
