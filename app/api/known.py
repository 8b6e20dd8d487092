"""Filters whose values the data knows: an actor, tag or country that no record has is a
400 naming it, with the nearest value, rather than an empty page that looks like an answer."""

from sqlalchemy.orm import Session

from app.api.params import ActorFilterParams, FilterParams, actor_filter, event_filter
from app.api.pinning import Pin, overlay_session
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


def _check(
    session: Session, asked: list[tuple[str, Vocabulary, list[str]]], pin: Pin | None
) -> None:
    """A 400 listing every unknown value of the `(parameter, vocabulary, values)` asked;
    pinned, a value the release's overlay holds is known."""
    items = []
    for name, vocabulary, values in asked:
        missing = missing_values(session, vocabulary, values) if values else []
        if missing and pin is not None:
            with overlay_session(pin.overlay) as side:
                if side is not None:
                    missing = missing_values(side, vocabulary, missing)
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
    session: Session,
    params: FilterParams,
    within_actor: str | None = None,
    pin: Pin | None = None,
) -> EventFilter:
    """`event_filter(params)`, once every actor, tag and country it names is in the data
    (of the release it is `pin`ned to)."""
    filters = event_filter(params, within_actor, None if pin is None else pin.pinned)
    _check(
        session,
        [
            ("actor", "actor", list(params.actor)),
            ("tag", "tag", list(params.tag)),
            ("country", "event_country", list(params.country)),
        ],
        pin,
    )
    return filters


def known_actor_filter(
    session: Session, params: ActorFilterParams, pin: Pin | None = None
) -> ActorFilter:
    """`actor_filter(params)`, once every country it names is an actor's."""
    _check(session, [("country", "actor_country", list(params.country))], pin)
    return actor_filter(params, None if pin is None else pin.pinned)
