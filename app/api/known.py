"""Filters whose values the data knows: an actor, tag or country that no record has is a
400 naming it, with the nearest value, rather than an empty page that looks like an answer."""

from sqlalchemy.orm import Session

from app.api.params import ActorFilterParams, FilterParams, actor_filter, event_filter
from app.errors import BadRequest
from app.explain import suggestion
from app.queries import ActorFilter, EventFilter
from app.queries.vocabulary import Vocabulary, list_values, missing_values
from app.schemas import ProblemItem

# Few enough to list them all when nothing is near.
_LISTED: frozenset[Vocabulary] = frozenset({"event_country", "actor_country"})
_WHAT: dict[Vocabulary, str] = {
    "actor": "no actor has the id",
    "tag": "no event has the tag",
    "event_country": "no event is in country",
    "actor_country": "no actor has country",
}


def _check(session: Session, asked: list[tuple[str, Vocabulary, list[str]]]) -> None:
    """A 400 listing every unknown value of the `(parameter, vocabulary, values)` asked."""
    items = []
    for name, vocabulary, values in asked:
        missing = missing_values(session, vocabulary, values) if values else []
        known = list_values(session, vocabulary) if missing else []
        for value in missing:
            hint = suggestion(value, known)
            if not hint and vocabulary in _LISTED:
                hint = f"; the data has {', '.join(known)}"
            message = f"{_WHAT[vocabulary]} {value!r}{hint}"
            items.append(ProblemItem(location="query", name=name, message=message))
    if items:
        detail = "; ".join(f"query parameter {i.name!r}: {i.message}" for i in items)
        raise BadRequest(detail, errors=items)


def known_event_filter(
    session: Session, params: FilterParams, within_actor: str | None = None
) -> EventFilter:
    """`event_filter(params)`, once every actor, tag and country it names is in the data."""
    filters = event_filter(params, within_actor)
    _check(
        session,
        [
            ("actor", "actor", list(params.actor)),
            ("tag", "tag", list(params.tag)),
            ("country", "event_country", list(params.country)),
        ],
    )
    return filters


def known_actor_filter(session: Session, params: ActorFilterParams) -> ActorFilter:
    """`actor_filter(params)`, once every country it names is an actor's."""
    _check(session, [("country", "actor_country", list(params.country))])
    return actor_filter(params)
