"""Releases, changes and record history: how the data set got to what it serves."""

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

Kind = Literal["event", "actor", "source"]
ChangeKind = Literal["created", "updated", "deleted"]


class ReleaseRef(BaseModel):
    """A release as a version names it."""

    number: int = Field(description="Release number, from 1.", examples=[2])
    created_at: datetime = Field(description="When it was loaded (UTC).")
    note: str = Field(description="What it changes, and why.", examples=["Corrections."])

    @field_validator("created_at")
    @classmethod
    def _in_utc(cls, moment: datetime) -> datetime:
        """SQLite gives the stored UTC time back without its zone."""
        return moment.replace(tzinfo=moment.tzinfo or UTC)


class ReleaseRead(ReleaseRef):
    """One release: a load that changed the data."""

    content_hash: str = Field(
        description="SHA-256-based hash of the whole data set, independent of file order.",
        examples=["fc554ba1f24361b5362459af2340ba63f19a895bd38d451f63f5446cb449fe75"],
    )
    counts: dict[Kind, dict[ChangeKind, int]] = Field(
        description="Records created, updated and deleted, per kind.",
        examples=[{"event": {"created": 2, "updated": 19, "deleted": 1}}],
    )
    links: dict[str, str] = Field(
        description="`changes`: the records this release changed.",
        examples=[{"changes": "/changes?since=1&until=2"}],
    )


class ReleaseList(BaseModel):
    """Every release, newest first."""

    items: list[ReleaseRead] = Field(description="Releases, newest first.")
    total: int = Field(description="How many releases there are.", examples=[3])
    next: str | None = Field(
        default=None,
        description="URL of the next (older) page; null on the last.",
        examples=["/releases?limit=2&cursor=WyIzIl0"],
    )


class ChangeRead(BaseModel):
    """One record created, updated or deleted by a release."""

    kind: Kind = Field(description="What sort of record.", examples=["event"])
    id: str = Field(description="The record's id.", examples=["mali-coup-2021"])
    change: ChangeKind = Field(description="What happened to it.", examples=["updated"])
    release: int = Field(description="The release that changed it.", examples=[2])
    fields: list[str] = Field(
        description="For an update, the fields of the data file that changed.",
        examples=[["summary", "disputes"]],
    )


class ChangePage(BaseModel):
    """Changes after a release, oldest first."""

    items: list[ChangeRead] = Field(description="Changes, oldest first.")
    next: str | None = Field(description="URL of the next page, or null.", examples=[None])


class FieldChange(BaseModel):
    """One field of a record before and after a release."""

    field: str = Field(description="The field as the data file names it.", examples=["title"])
    old: Any = Field(description="Its value before (null if absent).")
    new: Any = Field(description="Its value after (null if absent).")


class VersionRead(BaseModel):
    """One version of a record: the release that made it and what it changed."""

    release: ReleaseRef = Field(description="The release that made this version.")
    change: ChangeKind = Field(description="Created, updated or deleted.", examples=["updated"])
    fields: list[FieldChange] = Field(
        description="For an update, each changed field with its old and new value."
    )


class HistoryRead(BaseModel):
    """Every version of a record, newest first."""

    kind: Kind = Field(description="What sort of record.", examples=["event"])
    id: str = Field(description="The record's id.", examples=["mali-coup-2021"])
    items: list[VersionRead] = Field(description="Versions, newest first.")
