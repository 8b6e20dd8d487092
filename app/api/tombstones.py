"""The answer for a record that is not there: 410 if a release deleted it, else 404."""

from typing import Any

from sqlalchemy.orm import Session

from app.errors import Gone, NotFound, ProblemError
from app.queries import releases

GONE: dict[int | str, dict[str, Any]] = {
    410: {"description": "The record was deleted; `Link` points to its history."}
}


def missing(session: Session, kind: str, record_id: str, *, at: int | None = None) -> ProblemError:
    """The error for a `kind` record `record_id` that the current release (or release `at`)
    does not hold."""
    if releases.is_deleted(session, kind, record_id, at=at):
        return Gone(f"{kind} {record_id!r} was deleted", f"/{kind}s/{record_id}/history")
    return NotFound(f"no {kind} with id {record_id!r}")
