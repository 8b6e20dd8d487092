"""What every request passes before a route sees it, and what every response carries.

`RequestGuardMiddleware` turns away what no read endpoint can serve (bodies, oversized or
malformed URLs and headers, other methods) with problem details, and answers HEAD and
OPTIONS; `SecurityHeadersMiddleware` adds the security headers.
"""

import re
from http import HTTPStatus
from urllib.parse import unquote_to_bytes

from starlette.types import Message, Receive, Scope, Send

from app.errors import PROBLEM_JSON
from app.middleware.base import HTTPMiddleware
from app.schemas import Problem

ALLOWED_METHODS = "GET, HEAD, OPTIONS"
MAX_URL_BYTES = 4096
MAX_HEADER_BYTES = 8192
# The docs and the timeline page load scripts from files only; styles may be inline
# (ReDoc and Swagger UI set them at run time); nothing may be fetched from elsewhere.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# `HEADERS` as the raw pairs a response start carries, built once rather than per response.
_RAW_HEADERS = [(name.lower().encode(), value.encode()) for name, value in HEADERS.items()]
_CONTROL = re.compile("[\x00-\x1f\x7f]")


class SecurityHeadersMiddleware(HTTPMiddleware):
    """Adds `HEADERS` to every HTTP response that does not set them itself."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one HTTP request."""

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # A copy: a replayed response's headers are the cache's, not this message's.
                raw = message["headers"] = list(message.get("headers", ()))
                present = {name for name, _ in raw}
                raw.extend(pair for pair in _RAW_HEADERS if pair[0] not in present)
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _problem(send: Send, status: HTTPStatus, detail: str) -> None:
    """A problem response sent before routing, in the shape `app.errors` produces.

    It leaves out `instance`: the URL is what was wrong, and is not echoed back.
    """
    problem = Problem(type="about:blank", title=status.phrase, status=status, detail=detail)
    body = problem.model_dump_json().encode()
    headers = [
        (b"content-type", PROBLEM_JSON.encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": status.value, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _decodes(raw: bytes) -> bool:
    """Whether percent-decoded `raw` is UTF-8 without NUL or other C0 control characters."""
    try:
        text = unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return _CONTROL.search(text) is None


def _rejection(scope: Scope) -> tuple[HTTPStatus, str] | None:
    """Why a request cannot be served, or None."""
    raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
    query: bytes = scope.get("query_string", b"")
    if len(raw_path) + len(query) > MAX_URL_BYTES:
        return HTTPStatus.REQUEST_URI_TOO_LONG, f"the URL is longer than {MAX_URL_BYTES} bytes"
    if not _decodes(raw_path):
        return HTTPStatus.BAD_REQUEST, "the path is not valid UTF-8 or holds control characters"
    if not _decodes(query.replace(b"+", b" ")):
        return (
            HTTPStatus.BAD_REQUEST,
            "the query string is not valid UTF-8 or holds control characters",
        )
    size = sum(len(name) + len(value) for name, value in scope["headers"])
    if size > MAX_HEADER_BYTES:
        return (
            HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
            f"the request headers exceed {MAX_HEADER_BYTES} bytes",
        )
    headers = dict(scope["headers"])
    if headers.get(b"transfer-encoding") or headers.get(b"content-length", b"0") not in (
        b"0",
        b"",
    ):
        return HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "this API takes no request bodies"
    return None


class RequestGuardMiddleware(HTTPMiddleware):
    """Rejects what no endpoint can serve; serves HEAD as GET without a body; answers OPTIONS."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one HTTP request."""
        rejection = _rejection(scope)
        if rejection is not None:
            await _problem(send, *rejection)
            return
        method = scope["method"]
        if method == "OPTIONS" and b"access-control-request-method" not in dict(scope["headers"]):
            await send(
                {
                    "type": "http.response.start",
                    "status": HTTPStatus.NO_CONTENT.value,
                    "headers": [(b"allow", ALLOWED_METHODS.encode())],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return
        if method != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_without_body)
