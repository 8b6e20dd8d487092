"""schema.org JSON-LD for one event or one actor, for search engines and linked-data tools."""

from typing import Any

from app import edtf_dates, serializers
from app.models import Actor, Citation, Event
from app.vocabulary import ActorKind, Language, Role

CONTEXT = "https://schema.org"
ORGANIZER_ROLES = {Role.INITIATOR.value, Role.ANNOUNCER.value}
ACTOR_TYPES = {ActorKind.PERSON: "Person", ActorKind.STATE: "Country"}


def _thing(actor: Actor, lang: Language, base_url: str) -> dict[str, Any]:
    kind = ActorKind(actor.kind)
    return {
        "@type": ACTOR_TYPES.get(kind, "Organization"),
        "@id": f"{base_url}/actors/{actor.id}",
        "name": serializers.localized(actor, "name", lang),
    }


def _works(citations: list[Citation]) -> list[dict[str, Any]]:
    """The sources, as creative works about the subject, each with the quoted sentence."""
    works = []
    for citation in citations:
        source = citation.source
        work: dict[str, Any] = {
            "@type": "CreativeWork",
            "publisher": {"@type": "Organization", "name": source.publisher},
            "inLanguage": source.language,
            "text": citation.quote,
        }
        if source.title:
            work["name"] = source.title
        if source.published:
            work["datePublished"] = source.published
        if source.url:
            work["url"] = source.url
        works.append(work)
    return works


def _dates(start: str, end: str | None) -> dict[str, str]:
    """`startDate` and `endDate`: the EDTF strings where they are ISO 8601 (level 0), which
    schema.org's Date takes, and the bounds otherwise; none for an open or unknown end."""
    parsed = edtf_dates.parse(start)
    dates = {"startDate": start if parsed.plain else parsed.earliest}
    if end and end != edtf_dates.OPEN:
        last = edtf_dates.parse(end)
        dates["endDate"] = end if last.plain else last.latest
    elif end is None and not parsed.plain and parsed.latest != parsed.earliest:
        dates["endDate"] = parsed.latest
    return dates


def event(row: Event, lang: Language, base_url: str) -> dict[str, Any]:
    """A schema.org Event."""
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "Event",
        "@id": f"{base_url}/events/{row.id}",
        "name": serializers.localized(row, "title", lang),
        "description": serializers.localized(row, "summary", lang),
        "inLanguage": lang.value,
        **_dates(row.start_date, row.end_date),
        "organizer": [
            _thing(p.actor, lang, base_url) for p in row.actors if p.role in ORGANIZER_ROLES
        ],
        "actor": [
            _thing(p.actor, lang, base_url) for p in row.actors if p.role not in ORGANIZER_ROLES
        ],
        "keywords": [tag.tag for tag in row.tags],
        "subjectOf": _works(row.citations),
    }
    if row.place:
        place: dict[str, Any] = {"@type": "Place", "name": row.place}
        if row.country:
            place["address"] = {"@type": "PostalAddress", "addressCountry": row.country}
        if row.latitude is not None:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": row.latitude,
                "longitude": row.longitude,
            }
        document["location"] = place
    return document


def actor(row: Actor, lang: Language, base_url: str) -> dict[str, Any]:
    """A schema.org Person, Country or Organization."""
    document: dict[str, Any] = {
        "@context": CONTEXT,
        **_thing(row, lang, base_url),
        "description": serializers.localized(row, "description", lang),
        "alternateName": row.aliases,
        "subjectOf": _works(row.citations),
    }
    memberships = [
        _thing(r.object, lang, base_url) for r in row.outgoing if r.type in {"member_of", "part_of"}
    ]
    if memberships:
        document["memberOf"] = memberships
    if row.wikidata:
        document["sameAs"] = f"https://www.wikidata.org/wiki/{row.wikidata}"
    return document
