"""SQLAlchemy models: the tables behind the API.

Relationships raise on lazy loading, so every query states what it loads and an N+1
pattern fails in the tests instead of slowing production.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import JSON

from app.db import Base

ID = String(100)
DATE = String(10)  # ISO 8601 at its known precision: 2013, 2020-03 or 2021-05-24
# An event's EDTF level 1 date as written (2021-05-24?, 201X, 2013-21). SQLite ignores
# lengths, and widening its column would rebuild `event` under its search index.
EDTF = DATE.with_variant(String(40), "postgresql")
LABEL = String(40)
HASH = String(64)  # SHA-256 of the record's text in its file: unchanged ones are not rewritten


def _exactly_one_of(*columns: str) -> str:
    """SQL that is true when exactly one of `columns` is set (portable, no boolean sums)."""
    return " + ".join(f"(CASE WHEN {c} IS NULL THEN 0 ELSE 1 END)" for c in columns) + " = 1"


class Source(Base):
    """A publication that supports claims: an article, a statement, a reference page."""

    __tablename__ = "source"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    title: Mapped[str | None] = mapped_column(Text)
    publisher: Mapped[str] = mapped_column(String(200))
    published: Mapped[str | None] = mapped_column(DATE)
    language: Mapped[str] = mapped_column(String(8))
    url: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(HASH)


class Citation(Base):
    """A verbatim quote from a source, attached to exactly one claim."""

    __tablename__ = "citation"
    __table_args__ = (
        CheckConstraint(
            _exactly_one_of("event_id", "figure_id", "dispute_id", "actor_id", "actor_relation_id"),
            name="one_owner",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int]
    source_id: Mapped[str] = mapped_column(ForeignKey("source.id"), index=True)
    quote: Mapped[str] = mapped_column(Text)
    event_id: Mapped[str | None] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), index=True
    )
    figure_id: Mapped[int | None] = mapped_column(
        ForeignKey("figure.id", ondelete="CASCADE"), index=True
    )
    dispute_id: Mapped[int | None] = mapped_column(
        ForeignKey("dispute.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[str | None] = mapped_column(
        ForeignKey("actor.id", ondelete="CASCADE"), index=True
    )
    actor_relation_id: Mapped[int | None] = mapped_column(
        ForeignKey("actor_relation.id", ondelete="CASCADE"), index=True
    )

    source: Mapped[Source] = relationship(lazy="raise")


class Dispute(Base):
    """A note that other sources disagree with a claim, with their citations."""

    __tablename__ = "dispute"
    __table_args__ = (CheckConstraint(_exactly_one_of("event_id", "figure_id"), name="one_owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int]
    note: Mapped[str] = mapped_column(Text)
    event_id: Mapped[str | None] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), index=True
    )
    figure_id: Mapped[int | None] = mapped_column(
        ForeignKey("figure.id", ondelete="CASCADE"), index=True
    )

    citations: Mapped[list[Citation]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True, order_by=Citation.position
    )


class Actor(Base):
    """A person, state, force, group or organisation that takes part in events."""

    __tablename__ = "actor"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    kind: Mapped[str] = mapped_column(LABEL, index=True)
    name_en: Mapped[str] = mapped_column(String(300))
    name_nl: Mapped[str] = mapped_column(String(300))
    name_fr: Mapped[str] = mapped_column(String(300))
    description_en: Mapped[str] = mapped_column(Text)
    description_nl: Mapped[str] = mapped_column(Text)
    description_fr: Mapped[str] = mapped_column(Text)
    aliases: Mapped[list[str]] = mapped_column(JSON)
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    wikidata: Mapped[str | None] = mapped_column(String(20))
    search_text: Mapped[str] = mapped_column(Text)
    # Folded names and aliases (titles, for events) that rank a match: app.search.
    search_names: Mapped[str] = mapped_column(Text, server_default="")
    content_hash: Mapped[str] = mapped_column(HASH)

    citations: Mapped[list[Citation]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True, order_by=Citation.position
    )
    outgoing: Mapped[list["ActorRelation"]] = relationship(
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
        foreign_keys="ActorRelation.subject_id",
        back_populates="subject",
        order_by="ActorRelation.position",
    )
    incoming: Mapped[list["ActorRelation"]] = relationship(
        lazy="raise",
        viewonly=True,
        foreign_keys="ActorRelation.object_id",
        order_by="ActorRelation.id",
    )


class ActorRelation(Base):
    """A typed, optionally time-bounded link between two actors, stored once."""

    __tablename__ = "actor_relation"
    __table_args__ = (UniqueConstraint("subject_id", "type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int]
    subject_id: Mapped[str] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(LABEL)
    object_id: Mapped[str] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"), index=True)
    start_date: Mapped[str | None] = mapped_column(DATE)
    end_date: Mapped[str | None] = mapped_column(DATE)

    subject: Mapped[Actor] = relationship(
        lazy="raise", foreign_keys=[subject_id], back_populates="outgoing"
    )
    object: Mapped[Actor] = relationship(lazy="raise", foreign_keys=[object_id])
    citations: Mapped[list[Citation]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True, order_by=Citation.position
    )


class Figure(Base):
    """A number a source gives for an event (troops, deaths), with its qualifier."""

    __tablename__ = "figure"

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int]
    event_id: Mapped[str] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    measure: Mapped[str] = mapped_column(String(60))
    value: Mapped[int]
    qualifier: Mapped[str] = mapped_column(String(20))
    unit: Mapped[str] = mapped_column(LABEL)
    as_of: Mapped[str | None] = mapped_column(DATE)
    description_en: Mapped[str] = mapped_column(Text)
    description_nl: Mapped[str] = mapped_column(Text)
    description_fr: Mapped[str] = mapped_column(Text)

    citations: Mapped[list[Citation]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True, order_by=Citation.position
    )
    disputes: Mapped[list[Dispute]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True, order_by=Dispute.position
    )


class EventActor(Base):
    """An actor's part in an event, in a role such as initiator or target."""

    __tablename__ = "event_actor"

    event_id: Mapped[str] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    actor_id: Mapped[str] = mapped_column(ForeignKey("actor.id"), primary_key=True)
    role: Mapped[str] = mapped_column(LABEL, primary_key=True)
    position: Mapped[int]
    # The event's first possible day, copied: an actor's events are then a range of one
    # index in date order, not a lookup and a sort per event (`app.queries.events._page`).
    earliest_date: Mapped[str] = mapped_column(DATE)

    actor: Mapped[Actor] = relationship(lazy="raise")

    __table_args__ = (Index("ix_event_actor_actor_date", "actor_id", "earliest_date", "event_id"),)


class EventTag(Base):
    """A free keyword on an event, in its own table so the tag filter uses an index."""

    __tablename__ = "event_tag"

    event_id: Mapped[str] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(60), primary_key=True, index=True)


class EventRelation(Base):
    """A typed link from one event to another (caused, part_of, followed_by), stored once."""

    __tablename__ = "event_relation"
    __table_args__ = (UniqueConstraint("subject_id", "type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int]
    subject_id: Mapped[str] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(LABEL)
    object_id: Mapped[str] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)

    subject: Mapped["Event"] = relationship(
        lazy="raise", foreign_keys=[subject_id], back_populates="outgoing"
    )
    object: Mapped["Event"] = relationship(lazy="raise", foreign_keys=[object_id])


class Event(Base):
    """Something that happened, dated no more precisely than its sources allow."""

    __tablename__ = "event"
    __table_args__ = (
        # Page order, then latest_date so a period filter is checked in the index.
        Index("ix_event_date", "earliest_date", "id", "latest_date"),
        # One per filter column, in page order: a filtered page stops after `limit` rows.
        Index("ix_event_type_date", "type", "earliest_date", "id", "latest_date"),
        Index("ix_event_country_date", "country", "earliest_date", "id", "latest_date"),
        Index("ix_event_importance_date", "importance", "earliest_date", "id", "latest_date"),
        # What facets count, by id: the events of an actor or a search are counted from
        # this small index instead of from their rows, read one by one.
        Index("ix_event_facets", "id", "type", "country", "importance", "disputed", "start_date"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    type: Mapped[str] = mapped_column(LABEL)
    title_en: Mapped[str] = mapped_column(Text)
    title_nl: Mapped[str] = mapped_column(Text)
    title_fr: Mapped[str] = mapped_column(Text)
    summary_en: Mapped[str] = mapped_column(Text)
    summary_nl: Mapped[str] = mapped_column(Text)
    summary_fr: Mapped[str] = mapped_column(Text)
    start_date: Mapped[str] = mapped_column(EDTF)
    end_date: Mapped[str | None] = mapped_column(EDTF)
    # First and last day the dates can mean: what filtering and sorting compare.
    earliest_date: Mapped[str] = mapped_column(DATE)
    latest_date: Mapped[str] = mapped_column(DATE)
    place: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(2))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    importance: Mapped[int]
    # Whether the event or one of its figures has a dispute; kept here for list pages.
    disputed: Mapped[bool]
    search_text: Mapped[str] = mapped_column(Text)
    # Folded names and aliases (titles, for events) that rank a match: app.search.
    search_names: Mapped[str] = mapped_column(Text, server_default="")
    content_hash: Mapped[str] = mapped_column(HASH)

    actors: Mapped[list[EventActor]] = relationship(
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by=EventActor.position,
    )
    tags: Mapped[list[EventTag]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True, order_by=EventTag.tag
    )
    figures: Mapped[list[Figure]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True, order_by=Figure.position
    )
    disputes: Mapped[list[Dispute]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True, order_by=Dispute.position
    )
    citations: Mapped[list[Citation]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True, order_by=Citation.position
    )
    outgoing: Mapped[list[EventRelation]] = relationship(
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
        foreign_keys=[EventRelation.subject_id],
        back_populates="subject",
        order_by=EventRelation.position,
    )
    incoming: Mapped[list[EventRelation]] = relationship(
        lazy="raise",
        viewonly=True,
        foreign_keys=[EventRelation.object_id],
        order_by=EventRelation.id,
    )


class EventItem(Base):
    """An event as lists show it in one language (`app.event_json.summary`), rendered by the load.

    A page then reads 50 of these instead of building 50 objects from the event, its tags,
    its actors and their names (`app.loading.event_items`). A missing one is built on
    request, so a database upgraded without a reload still answers in full.
    """

    __tablename__ = "event_item"

    event_id: Mapped[str] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(2), primary_key=True)
    json: Mapped[bytes] = mapped_column(LargeBinary)


class Dataset(Base):
    """One row saying which version of the data is loaded and since when.

    `load` bumps it only when a record actually changes; HTTP validators (ETag,
    Last-Modified) are derived from it.
    """

    __tablename__ = "dataset"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Days from the earliest to the latest date of the longest event: lets a period filter
    # bound `earliest_date` from below too, so it reads an index range, not a prefix.
    longest_event_days: Mapped[int | None]


class Release(Base):
    """One load that changed the data: its number, time, note, content hash and counts."""

    __tablename__ = "release"

    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(Text)
    # Order-free hash of every current record (`app.loading.history`): equal content, equal hash.
    content_hash: Mapped[str] = mapped_column(HASH)
    # {"event": {"created": n, "updated": n, "deleted": n}, "actor": {...}, "source": {...}}
    counts: Mapped[dict[str, dict[str, int]]] = mapped_column(JSON)


class RecordVersion(Base):
    """One version of an event, actor or source: the release that created, changed or deleted it.

    `content` is the record as its data file holds it (None for a tombstone, or for the
    baseline a migration records without content); `fields` names what changed.
    """

    __tablename__ = "record_version"
    __table_args__ = (
        Index("ix_record_version_record", "kind", "record_id", "id"),
        Index("ix_record_version_release", "release", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(LABEL)
    record_id: Mapped[str] = mapped_column(ID)
    release: Mapped[int] = mapped_column(ForeignKey("release.number"))
    change: Mapped[str] = mapped_column(LABEL)
    fields: Mapped[list[str]] = mapped_column(JSON)
    digest: Mapped[str] = mapped_column(HASH)
    content: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ReadChange(Base):
    """A release after the first that changed how a record reads: the record itself or a
    record its JSON shows (`app.queries.releases.SHOWN`), written by the load that makes it.

    A read pinned to release N takes from the current tables only the records with no row
    after N: one probe of the key, whatever the history holds (`app.loading.read_changes`).
    """

    __tablename__ = "read_change"
    # The key answers the probe; this index lists what reads otherwise after a release.
    __table_args__ = (Index("ix_read_change_release", "kind", "release", "record_id"),)

    kind: Mapped[str] = mapped_column(LABEL, primary_key=True)
    record_id: Mapped[str] = mapped_column(ID, primary_key=True)
    release: Mapped[int] = mapped_column(ForeignKey("release.number"), primary_key=True)


class DataFileState(Base):
    """The hash of a data file as the database last loaded or exported it, by its path, so
    that `export` can tell a file edited since from one it may overwrite."""

    __tablename__ = "data_file_state"

    path: Mapped[str] = mapped_column(Text, primary_key=True)
    digest: Mapped[str] = mapped_column(HASH)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FacetCount(Base):
    """One count of a facet of a common filter, made by the load that made the data version.

    The facets of the whole data set, of one type, one year, and a type in a year are read
    from here (`app.queries.facet_counts`): their first request reads a few rows by key
    instead of counting every matching event.
    """

    __tablename__ = "facet_count"

    version: Mapped[int] = mapped_column(primary_key=True)  # `Dataset.version` counted
    scope: Mapped[str] = mapped_column(String(80), primary_key=True)  # type=coup&year=2021
    facet: Mapped[str] = mapped_column(LABEL, primary_key=True)  # actor, date:month, total
    rank: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)  # order shown
    value: Mapped[str] = mapped_column(ID)
    count: Mapped[int]
    # Events counted by this row or one before it: what the first `rank` values leave out.
    covered: Mapped[int]
