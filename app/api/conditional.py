"""Conditional GETs: ETag and Last-Modified from the data version, and 304 answers.

The ETag hashes the data version with everything that shapes a response (path, query,
representation, language, code version), so it is known before any work is done.
"""

import hashlib
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
