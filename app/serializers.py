"""ORM rows to response schemas, in the language the client negotiated."""

from app.models import (
    Actor,
    ActorRelation,
    Citation,
    Source,
)
from app.schemas import (
    ActorRead,
    ActorRef,
    ActorRelationRead,
    ActorSummary,
    CitationRead,
    SourceRead,
)
from app.vocabulary import ActorKind, ActorRelationType, Language


def localized(row: object, field: str, lang: Language) -> str:
    """The `field` column of `row` in `lang` (`title_nl`, `name_fr`, ...)."""
    value: str = getattr(row, f"{field}_{lang.value}")
    return value


def source(row: Source) -> SourceRead:
    """A source as clients see it."""
    return SourceRead.model_validate(row, from_attributes=True)


def citations(rows: list[Citation]) -> list[CitationRead]:
    """Citations with their sources."""
    return [CitationRead(source=source(c.source), quote=c.quote) for c in rows]


def actor_ref(row: Actor, lang: Language) -> ActorRef:
    """An actor, briefly."""
    return ActorRef(id=row.id, name=localized(row, "name", lang), kind=ActorKind(row.kind))


def actor_summary(row: Actor, lang: Language, base_url: str) -> ActorSummary:
    """An actor as listed; its `url` starts with `base_url`."""
    return ActorSummary(
        id=row.id,
        url=f"{base_url}/actors/{row.id}",
        kind=ActorKind(row.kind),
        name=localized(row, "name", lang),
        description=localized(row, "description", lang),
        aliases=row.aliases,
        country=row.country,
        wikidata=row.wikidata,
    )


def _actor_relation(
    row: ActorRelation, other: Actor, direction: str, lang: Language
) -> ActorRelationRead:
    return ActorRelationRead(
        type=ActorRelationType(row.type),
        direction="outgoing" if direction == "outgoing" else "incoming",
        actor=actor_ref(other, lang),
        start=row.start_date,
        end=row.end_date,
        citations=citations(row.citations),
    )


def actor(row: Actor, lang: Language, base_url: str) -> ActorRead:
    """An actor in full."""
    relations = [_actor_relation(r, r.object, "outgoing", lang) for r in row.outgoing] + [
        _actor_relation(r, r.subject, "incoming", lang) for r in row.incoming
    ]
    return ActorRead(
        **actor_summary(row, lang, base_url).model_dump(),
        relations=relations,
        citations=citations(row.citations),
    )
