"""What the timeline page asks beyond event lists: the data's span and the actors' names."""

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.edtf_dates import FAR_FUTURE
from app.models import Actor, Event
from app.vocabulary import Language


def data_span(session: Session) -> tuple[str, str] | None:
    """The first and last day any event can mean, leaving out open and unknown ends."""
    first, last = session.execute(
        select(
            func.min(Event.earliest_date),
            func.max(Event.latest_date).filter(Event.latest_date < FAR_FUTURE),
        )
    ).one()
    if first is None:
        return None
    return first, last or first


def actor_names(session: Session, lang: Language) -> Sequence[tuple[str, str]]:
    """Every actor's id and name in `lang`, by id."""
    name = getattr(Actor, f"name_{lang.value}")
    rows = session.execute(select(Actor.id, name).order_by(Actor.id)).all()
    return [(actor_id, actor_name) for actor_id, actor_name in rows]
