"""One data file: the model `load` validates and `data/schema.json` is generated from."""

from pydantic import Field

from app.schemas.actors import ActorIn
from app.schemas.common import RecordIn
from app.schemas.events import EventIn
from app.schemas.sources import SourceIn


class DataFile(RecordIn):
    """One data file: any mix of sources, actors and events."""

    schema_: str | None = Field(
        default=None, alias="$schema", description="Path of the JSON Schema, for editors."
    )
    sources: list[SourceIn] = Field(default_factory=list, description="Cited publications.")
    actors: list[ActorIn] = Field(default_factory=list, description="Actors.")
    events: list[EventIn] = Field(default_factory=list, description="Events.")
