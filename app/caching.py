"""HTTP validators derived from the data version: ETag, Last-Modified and 304 answers.

The ETag hashes the data version with everything that shapes a response (path, query,
representation, language, code version), so it is known before any work is done: a client
revalidating an unchanged page costs one primary-key lookup.
"""

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from fastapi import FastAPI, Request, Response
from sqlalchemy.orm import Session

from app import __version__, queries


def _utc(moment: datetime) -> datetime:
    """In UTC: SQLite returns naive datetimes (stored in UTC), PostgreSQL its session zone."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Validators:
    """The validators of one response."""

    etag: str
    last_modified: datetime | None


class NotModified(Exception):  # noqa: N818  (a signal, not an error)
    """The client's copy is current: answer 304 with these headers."""

    def __init__(self, headers: dict[str, str]) -> None:
        super().__init__("not modified")
        self.headers = headers


def validators(request: Request, session: Session, *parts: str) -> Validators:
    """Validators for this request's response in the representation described by `parts`."""
    dataset = queries.get_dataset(session)
    version = dataset.version if dataset else 0
    query = "&".join(f"{k}={v}" for k, v in sorted(request.query_params.multi_items()))
    key = "\n".join([__version__, str(version), request.url.path, query, *parts])
    etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
    return Validators(etag=etag, last_modified=_utc(dataset.updated_at) if dataset else None)


def headers(current: Validators, max_age: int) -> dict[str, str]:
    """Response headers that let clients and caches revalidate."""
    result = {
        "ETag": current.etag,
        "Cache-Control": f"public, max-age={max_age}",
        "Vary": "Accept, Accept-Language",
    }
    if current.last_modified is not None:
        result["Last-Modified"] = format_datetime(current.last_modified, usegmt=True)
    return result


def is_fresh(request: Request, current: Validators) -> bool:
    """Whether the client's cached copy is current (RFC 9110 section 13.2.2 order)."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return "*" in tags or current.etag in tags
    if_modified_since = request.headers.get("if-modified-since")
    if if_modified_since and current.last_modified is not None:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False  # an unparsable date is ignored, as the RFC says
        if since.tzinfo is None:
            return False
        return current.last_modified <= since
    return False


def install_not_modified_handler(app: FastAPI) -> None:
    """Turn `NotModified` into a bodiless 304."""

    @app.exception_handler(NotModified)
    async def _not_modified(_request: Request, exc: NotModified) -> Response:
        return Response(status_code=304, headers=exc.headers)


@dataclass(frozen=True)
class Rendered:
    """A rendered body and the headers that belong to it rather than to the request."""

    body: bytes
    headers: dict[str, str]


class ResponseCache:
    """Rendered bodies by ETag, least recently used first out, bounded in entries and bytes.

    The ETag already names the data version, path, query, representation and language, so an
    entry can never be served for another request, and a data change simply stops matching.
    """

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, Rendered] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, etag: str) -> Rendered | None:
        """The response rendered for `etag`, if it is still held."""
        with self._lock:
            rendered = self._entries.get(etag)
            if rendered is not None:
                self._entries.move_to_end(etag)
            return rendered

    def put(self, etag: str, rendered: Rendered) -> None:
        """Keep `rendered`, evicting the least recently used entries beyond the bounds."""
        if len(rendered.body) > self.max_bytes // 16:
            return  # one large export must not flush everything else
        with self._lock:
            if etag in self._entries:
                return
            self._entries[etag] = rendered
            self._bytes += len(rendered.body)
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= len(evicted.body)
