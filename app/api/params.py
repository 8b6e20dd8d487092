"""Query parameters: their models, and their parsing into query filters and cursor keys.

Everything here runs before negotiation and caching, so a bad parameter is a 400 at once.
"""

import base64
import binascii
import json
from typing import Annotated, Literal, get_origin

from fastapi import Path, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.datastructures import QueryParams

from app import dates, search
from app.dates import PartialDate, Precision
from app.errors import BadRequest
from app.queries import (
    ActorFilter,
    ActorKey,
    EventFilter,
    EventKey,
    EventListing,
    Facet,
    RankedActor,
)
from app.schemas import SLUG_PATTERN, CountryCode, Slug
from app.vocabulary import ActorKind, EventType, Language, Role

ActorId = Annotated[
    str,
    Path(description="The actor's id.", examples=["takuba"], max_length=100, pattern=SLUG_PATTERN),
]

# Control characters never reach a query: the request guard refuses them (app.middleware.security).
TEXT_PATTERN = r"^[^\x00-\x1f\x7f]*$"


class LangParams(BaseModel):
    """Parameters every endpoint takes; anything else is rejected, so typos never pass."""

    model_config = ConfigDict(extra="forbid")

    lang: Language | None = Field(
        default=None,
        description="Language of names, titles and summaries; overrides `Accept-Language`.",
        examples=["nl"],
    )


class PinParams(LangParams):
    """Parameters of every read of the data, which can be pinned to a release."""

    release: int | None = Field(
        default=None,
        ge=1,
        le=2**31 - 1,
        description="The data exactly as release N held it; such a response never changes. "
        "The latest release by default.",
        examples=[2],
    )


class PageParams(BaseModel):
    """Keyset paging, for JSON lists."""

    limit: int = Field(default=50, ge=1, le=500, description="Items per page.", examples=[50])
    cursor: str | None = Field(
        default=None,
        max_length=500,
        description="Opaque position from a previous page's `next`; never built by hand.",
        examples=[None],
    )


class FilterParams(PinParams):
    """Filters on events: values of one filter are OR-ed, filters are AND-ed."""

    from_: PartialDate | None = Field(
        default=None,
        alias="from",
        description="Events that end on or after the first day of this date (YYYY[-MM[-DD]]).",
        examples=["2021-05"],
    )
    to: PartialDate | None = Field(
        default=None,
        description="Events that start on or before the last day of this date: "
        "`to=2021-06` includes 30 June.",
        examples=["2021-06"],
    )
    date_match: Literal["overlaps", "within"] = Field(
        default="overlaps",
        description="`overlaps`: events whose possible period (`earliest` to `latest`) meets "
        "`from`-`to`; `within`: only events certainly inside it.",
        examples=["within"],
    )
    type: list[EventType] = Field(
        default_factory=list, description="Event type; repeatable.", examples=[["coup"]]
    )
    actor: list[Slug] = Field(
        default_factory=list, description="Actor id; repeatable.", examples=[["takuba"]]
    )
    country: list[CountryCode] = Field(
        default_factory=list, description="Country of the event; repeatable.", examples=[["ML"]]
    )
    tag: list[Annotated[str, Field(max_length=60, pattern=SLUG_PATTERN)]] = Field(
        default_factory=list, description="Tag; repeatable.", examples=[["coup"]]
    )
    importance: list[Annotated[int, Field(ge=1, le=3)]] = Field(
        default_factory=list,
        description="Editorial weight 1-3 (3 = key moment); repeatable.",
        examples=[[3]],
    )
    q: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        pattern=TEXT_PATTERN,
        description="Words that must all occur in the title or summary, in any language; "
        "case and accents are ignored.",
        examples=["takuba"],
    )
    role: list[Role] = Field(
        default_factory=list,
        description="Events in which some actor plays this role; repeatable.",
        examples=[["initiator"]],
    )
    disputed: bool | None = Field(
        default=None,
        description="Only events with (`true`) or without (`false`) a dispute.",
        examples=[True],
    )
    precision: list[Precision] = Field(
        default_factory=list,
        description="Events whose start is known to this precision; repeatable.",
        examples=[["year"]],
    )
    starts_in: PartialDate | None = Field(
        default=None,
        description="Events whose start is known to lie in this period: `starts_in=2021-05` "
        "leaves out an event dated only `2021`. What a histogram bucket links to.",
        examples=["2021"],
    )
    changed_since: int | None = Field(
        default=None,
        ge=0,
        le=2**31 - 1,
        description="Only events a release after this one changed.",
        examples=[3],
    )


class ExportParams(FilterParams):
    """Filters and order for exports, which hold every matching event."""

    sort: Literal["date", "-date", "relevance"] = Field(
        default="date",
        description="Date order, oldest first or (`-date`) newest first; or, with `q`, "
        "`relevance`: events whose title holds the words first, then by date.",
    )


class EventParams(ExportParams, PageParams):
    """Filters, order and paging for `/events`; CSV and GeoJSON ignore the paging."""


class PageViewParams(FilterParams):
    """The event filters as the timeline page's form sends them: a field left empty is absent."""

    @model_validator(mode="before")
    @classmethod
    def _drop_empty(cls, data: object) -> object:
        # A plain HTML form sends every field, `actor=&q=` included.
        if not isinstance(data, dict):
            return data
        kept: dict[str, object] = {}
        for name, value in data.items():
            if isinstance(value, list):
                value = [v for v in value if v != ""]
            if value not in ("", []):
                kept[name] = value
        return kept


class CapParams(BaseModel):
    """A cap on a document that otherwise holds every match."""

    limit: int | None = Field(
        default=None,
        ge=1,
        le=10_000_000,
        description="At most this many, the first in order; all by default.",
        examples=[100],
    )


class TimelineParams(FilterParams, CapParams):
    """Filters, a cap on the slides and their grouping, for `/timeline`."""

    group: Literal["era", "type"] = Field(
        default="era",
        description="Navigation rows: the operation (era) an event falls in, or its type.",
    )


class GeoJSONParams(ExportParams, CapParams):
    """Filters, order and a cap on the features, for `/events.geojson`."""


class FacetParams(FilterParams):
    """Filters, and the facets to count over the events they match."""

    facet: list[Facet] = Field(
        default_factory=lambda: [Facet.TYPE, Facet.DATE],
        description="What to count by; repeatable. `date` is the histogram over time.",
        examples=[["type", "date"]],
    )
    interval: Precision = Field(
        default=Precision.YEAR, description="Bucket width of the `date` histogram."
    )
    facet_size: int = Field(
        default=10, ge=1, le=100, description="Values shown per facet, most frequent first."
    )


class ActorFilterParams(PinParams):
    """Filters on actors."""

    kind: list[ActorKind] = Field(
        default_factory=list, description="Sort of actor; repeatable.", examples=[["person"]]
    )
    country: list[CountryCode] = Field(
        default_factory=list, description="Country code; repeatable.", examples=[["FR"]]
    )
    q: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        pattern=TEXT_PATTERN,
        description="Words that must all occur in the name, aliases or description. "
        "Ranks the actors: a whole name or alias first, then names holding every word, "
        "then the rest, each by id.",
        examples=["goita"],
    )
    changed_since: int | None = Field(
        default=None,
        ge=0,
        le=2**31 - 1,
        description="Only actors a release after this one changed.",
        examples=[3],
    )


class ActorParams(ActorFilterParams, PageParams):
    """Filters and paging for `/actors`; CSV ignores the paging."""


class ChangesParams(LangParams, PageParams):
    """Which changes `/changes` lists: those after one release, up to another."""

    since: int = Field(
        ge=0, le=2**31 - 1, description="Changes after this release; 0 for all.", examples=[2]
    )
    until: int | None = Field(
        default=None,
        ge=1,
        le=2**31 - 1,
        description="Changes up to this release, inclusive.",
        examples=[3],
    )


class ReleasesParams(LangParams, PageParams):
    """Paging for `/releases`, newest first."""


def encode_cursor(*parts: str) -> str:
    """An opaque cursor for the position after the given key."""
    raw = json.dumps(list(parts), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, size: int) -> list[str]:
    """The key inside a cursor; a forged or truncated one is a 400 naming `cursor`."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        parts = json.loads(raw)
    except (binascii.Error, ValueError):
        raise BadRequest.for_param("cursor", "not a cursor this API issued") from None
    if (
        not isinstance(parts, list)
        or len(parts) != size
        or not all(isinstance(p, str) for p in parts)
    ):
        raise BadRequest.for_param("cursor", "not a cursor this API issued")
    return parts


def _tier(text: str) -> int:
    """A rank tier from a cursor, one of those `search.rank` gives."""
    if text not in {str(tier) for tier in search.TIERS}:
        raise BadRequest.for_param("cursor", "not a cursor this API issued")
    return int(text)


def ranked(params: ExportParams) -> bool:
    """Whether events are listed by relevance, which needs the words of `q` to rank by."""
    if params.sort == "relevance" and params.q is None:
        raise BadRequest.for_param(
            "sort", "sort=relevance ranks by the words of `q`; give q, as in q=takuba"
        )
    return params.sort == "relevance"


def event_key(params: EventParams) -> EventKey | None:
    """The event keyset position in `params.cursor`, checked against the sort order."""
    if params.cursor is None:
        return None
    if ranked(params):
        sort, tier, earliest, event_id = decode_cursor(params.cursor, 4)
        key = EventKey(earliest=earliest, id=event_id, tier=_tier(tier))
    else:
        sort, earliest, event_id = decode_cursor(params.cursor, 3)
        key = EventKey(earliest=earliest, id=event_id)
    if sort != params.sort:
        raise BadRequest.for_param("cursor", f"issued for sort={sort}, not sort={params.sort}")
    return key


def event_cursor(params: EventParams, last: EventListing) -> str:
    """The cursor of the page after `last`, in the order `params` asks for."""
    if last.tier is None:
        return encode_cursor(params.sort, last.earliest, last.id)
    return encode_cursor(params.sort, str(last.tier), last.earliest, last.id)


def actor_key(params: ActorParams) -> ActorKey | None:
    """Where `params.cursor` starts the page: after an actor id, in its tier when `q` ranks."""
    if params.cursor is None:
        return None
    if params.q is None:
        return ActorKey(decode_cursor(params.cursor, 1)[0])
    tier, actor_id = decode_cursor(params.cursor, 2)
    return ActorKey(actor_id, _tier(tier))


def actor_cursor(last: RankedActor) -> str:
    """The cursor of the page after `last`."""
    key = last.key
    return encode_cursor(key.id) if key.tier is None else encode_cursor(str(key.tier), key.id)


def event_filter(
    params: FilterParams, within_actor: str | None = None, pinned: int | None = None
) -> EventFilter:
    """The query filter the parameters ask for; `from` after `to` is a 400 naming `to`."""
    earliest = dates.bounds(params.from_)[0] if params.from_ else None
    latest = dates.bounds(params.to)[1] if params.to else None
    if earliest and latest and earliest > latest:
        raise BadRequest.for_param("to", f"{params.to} is before from={params.from_}")
    return EventFilter(
        earliest=earliest,
        latest=latest,
        within=params.date_match == "within",
        types=params.type,
        actors=params.actor,
        within_actor=within_actor,
        countries=params.country,
        tags=params.tag,
        importance=params.importance,
        text=params.q,
        roles=params.role,
        disputed=params.disputed,
        precisions=params.precision,
        starts_in=params.starts_in,
        changed_since=params.changed_since,
        pinned=pinned,
    )


def actor_filter(params: ActorFilterParams, pinned: int | None = None) -> ActorFilter:
    """The query filter the actor parameters ask for."""
    return ActorFilter(
        kinds=params.kind,
        countries=params.country,
        text=params.q,
        changed_since=params.changed_since,
        pinned=pinned,
    )


def list_fields(*models: type[BaseModel]) -> frozenset[str]:
    """The query parameters that take several values: the list-typed fields of `models`."""
    return frozenset(
        field.alias or name
        for model in models
        for name, field in model.model_fields.items()
        if get_origin(field.annotation) is list
    )


REPEATABLE = list_fields(EventParams, ActorParams, FacetParams)


def check_repeated(query: QueryParams) -> None:
    """A single-valued parameter given twice is a 400, not a silent pick of one value."""
    seen: set[str] = set()
    for name, _ in query.multi_items():
        if name in seen and name not in REPEATABLE:
            raise BadRequest.for_param(name, "given more than once; only filters repeat")
        seen.add(name)


async def reject_repeated(request: Request) -> None:
    """`check_repeated` as the app's dependency, for every route.

    `async` only so that FastAPI runs it on the event loop instead of a worker thread.
    """
    check_repeated(request.query_params)


def query_values(query: QueryParams, listed: frozenset[str]) -> dict[str, str | list[str]]:
    """The query as a parameter model validates it: every value of its `listed` (list-typed)
    fields, one value of any other name (`check_repeated` refuses a second of a known one;
    an unknown one is refused whatever its value)."""
    return {name: query.getlist(name) if name in listed else value for name, value in query.items()}
