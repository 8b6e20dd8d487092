"""Path parameters that name one record: the event id, which the API's `/events/{event_id}`
and the page's `/e/{event_id}` share, so that both accept and document the same ids."""

from typing import Annotated

from fastapi import Path

from app.schemas import SLUG_PATTERN

EventId = Annotated[
    str,
    Path(
        description="The event's id.",
        examples=["mali-coup-2021"],
        max_length=100,
        pattern=SLUG_PATTERN,
    ),
]
