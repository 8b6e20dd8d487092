"""Pydantic models: `*In` validate the data files, `*Read` shape every JSON response.

The data files and the API share these definitions, and `data/schema.json` is generated
from `DataFile`, so what reviewers read, what `load` accepts and what clients get agree.
"""

from app.schemas.actors import (
    ActorIn,
    ActorPage,
    ActorRead,
    ActorRef,
    ActorRelationIn,
    ActorRelationRead,
    ActorSummary,
)
from app.schemas.common import SLUG_PATTERN, CountryCode, LocalizedIn, RecordIn, Slug, Text
from app.schemas.datafile import DataFile
from app.schemas.events import (
    EventIn,
    EventPage,
    EventRead,
    EventRef,
    EventRelationIn,
    EventRelationRead,
    EventSummary,
    FigureIn,
    FigureRead,
    LocationIn,
    LocationRead,
    ParticipantRead,
    ParticipationIn,
)
from app.schemas.formats import FeatureCollection, Timeline
from app.schemas.service import EventTypeRead, HealthRead, IndexRead, Problem, ProblemItem
from app.schemas.sources import (
    CitationIn,
    CitationRead,
    Citations,
    DisputeIn,
    DisputeRead,
    SourceIn,
    SourceRead,
)

__all__ = [
    "SLUG_PATTERN",
    "ActorIn",
    "ActorPage",
    "ActorRead",
    "ActorRef",
    "ActorRelationIn",
    "ActorRelationRead",
    "ActorSummary",
    "CitationIn",
    "CitationRead",
    "Citations",
    "CountryCode",
    "DataFile",
    "DisputeIn",
    "DisputeRead",
    "EventIn",
    "EventPage",
    "EventRead",
    "EventRef",
    "EventRelationIn",
    "EventRelationRead",
    "EventSummary",
    "EventTypeRead",
    "FeatureCollection",
    "FigureIn",
    "FigureRead",
    "HealthRead",
    "IndexRead",
    "LocalizedIn",
    "LocationIn",
    "LocationRead",
    "ParticipantRead",
    "ParticipationIn",
    "Problem",
    "ProblemItem",
    "RecordIn",
    "Slug",
    "SourceIn",
    "SourceRead",
    "Text",
    "Timeline",
]
