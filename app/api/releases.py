"""Releases, the change feed (JSON and Atom) and the history of each event and actor."""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response

from app.api.params import decode_cursor, encode_cursor
from app.api.respond import (
    Body,
    ChangesExchange,
    LangExchange,
    ReleasesExchange,
    model_body,
    openapi,
)
from app.api.urls import base_url, next_url
from app.errors import BadRequest, NotFound
from app.formats import atom
from app.models import RecordVersion, Release
from app.negotiation import MediaType
from app.queries import releases
from app.schemas import SLUG_PATTERN
from app.schemas.releases import (
    ChangePage,
    ChangeRead,
    FieldChange,
    HistoryRead,
    ReleaseList,
    ReleaseRead,
    ReleaseRef,
    VersionRead,
)
from app.vocabulary import Language

router = APIRouter(tags=["releases"])
FEED_SIZE = 50  # entries in the Atom feed: the latest changes

RecordId = Annotated[
    str,
    Path(
        description="The record's id.",
        examples=["mali-coup-2021"],
        max_length=100,
        pattern=SLUG_PATTERN,
    ),
]
ReleaseNumber = Annotated[
    int, Path(description="The release number.", ge=1, le=2**31 - 1, examples=[2])
]


def _release(release: Release) -> ReleaseRead:
    changes = f"/changes?since={release.number - 1}&until={release.number}"
    return ReleaseRead(
        number=release.number,
        created_at=release.created_at,
        note=release.note,
        content_hash=release.content_hash,
        counts=release.counts,
        links={"changes": changes},
    )


@router.get("/releases", response_model=ReleaseList, responses=openapi({MediaType.JSON: None}))
def list_releases(exchange: ReleasesExchange) -> Response:
    """Releases, newest first: number, time, note, content hash and counts; keyset paged."""
    params = exchange.params
    before = _position(params.cursor) if params.cursor else None
    rows = releases.list_releases(exchange.session, before=before, limit=params.limit + 1)
    items = [_release(r) for r in rows[: params.limit]]
    cursor = encode_cursor(str(items[-1].number)) if len(rows) > params.limit else None
    next_page = next_url(exchange.request, cursor)
    total = releases.count_releases(exchange.session)

    def as_json(_lang: Language) -> Body:
        return model_body(ReleaseList(items=items, total=total, next=next_page), next_page)

    return exchange.respond({MediaType.JSON: as_json})


@router.get(
    "/releases/{number}",
    response_model=ReleaseRead,
    responses=openapi({MediaType.JSON: None}, not_found="No such release."),
)
def get_release(exchange: LangExchange, number: ReleaseNumber) -> Response:
    """One release, with a link to the records it changed."""
    release = releases.get_release(exchange.session, number)
    if release is None:
        raise NotFound(f"no release {number}")
    body = _release(release)

    def as_json(_lang: Language) -> Body:
        return model_body(body)

    return exchange.respond({MediaType.JSON: as_json})


def _position(cursor: str) -> int:
    """The version a `/changes` cursor points after, or the release a `/releases` one points
    before; anything else is a 400 naming `cursor`."""
    (position,) = decode_cursor(cursor, 1)
    if not position.isdigit():
        raise BadRequest.for_param("cursor", "not a cursor this API issued")
    return int(position)


@router.get("/changes", response_model=ChangePage, responses=openapi({MediaType.JSON: None}))
def list_changes(exchange: ChangesExchange) -> Response:
    """Every record created, updated or deleted after release `since`, oldest first."""
    params = exchange.params
    after = _position(params.cursor) if params.cursor else 0
    if params.until is not None and params.until <= params.since:
        raise BadRequest.for_param("until", f"must be greater than since={params.since}")
    rows = releases.list_changes(
        exchange.session, since=params.since, until=params.until, after=after, limit=params.limit
    )
    page = rows[: params.limit]
    cursor = encode_cursor(str(page[-1].id)) if len(rows) > params.limit else None
    items = [
        ChangeRead(
            kind=row.kind,
            id=row.record_id,
            change=row.change,
            release=row.release,
            fields=row.fields,
        )
        for row in page
    ]
    next_page = next_url(exchange.request, cursor)

    def as_json(_lang: Language) -> Body:
        return model_body(ChangePage(items=items, next=next_page), next_page)

    return exchange.respond({MediaType.JSON: as_json})


@router.get(
    "/changes.atom",
    response_model=None,
    response_class=Response,
    responses=openapi({MediaType.ATOM: {"type": "string", "description": "An RFC 4287 feed."}}),
)
def changes_feed(exchange: LangExchange) -> Response:
    """The latest changes as an Atom feed, titled in the negotiated language."""
    session = exchange.session
    latest = releases.latest_versions(session, FEED_SIZE)
    base = base_url(exchange.request)

    def as_atom(lang: Language) -> Body:
        return Body(atom.feed(latest, lang, base))

    return exchange.respond({MediaType.ATOM: as_atom}, forced=MediaType.ATOM)


def _history(exchange: LangExchange, kind: str, record_id: str) -> Response:
    rows = releases.list_versions(exchange.session, kind, record_id)
    if not rows:
        raise NotFound(f"no {kind} with id {record_id!r} in any release")
    items: list[VersionRead] = []
    before: dict[str, Any] = {}
    for version, release in rows:
        items.append(_version(version, release, before))
        before = version.content or {}
    body = HistoryRead(kind=kind, id=record_id, items=items[::-1])

    def as_json(_lang: Language) -> Body:
        return model_body(body)

    return exchange.respond({MediaType.JSON: as_json})


def _version(version: RecordVersion, release: Release, before: dict[str, Any]) -> VersionRead:
    after = version.content or {}
    fields = [
        FieldChange(field=name, old=before.get(name), new=after.get(name))
        for name in version.fields
    ]
    return VersionRead(
        release=ReleaseRef(number=release.number, created_at=release.created_at, note=release.note),
        change=version.change,
        fields=fields,
    )


@router.get(
    "/events/{event_id}/history",
    response_model=HistoryRead,
    responses=openapi({MediaType.JSON: None}, not_found="No event with this id ever existed."),
)
def event_history(exchange: LangExchange, event_id: RecordId) -> Response:
    """Every version of an event, newest first, with the fields each release changed."""
    return _history(exchange, "event", event_id)


@router.get(
    "/actors/{actor_id}/history",
    response_model=HistoryRead,
    responses=openapi({MediaType.JSON: None}, not_found="No actor with this id ever existed."),
)
def actor_history(exchange: LangExchange, actor_id: RecordId) -> Response:
    """Every version of an actor, newest first, with the fields each release changed."""
    return _history(exchange, "actor", actor_id)
