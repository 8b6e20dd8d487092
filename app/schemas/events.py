"""Events: `EventIn` in data files; `EventSummary`, `EventRead` and `EventPage` in responses.

`app/event_json.py` builds the same JSON in SQL and is checked against these at start-up.
"""

from typing import Annotated, Literal, Self

from pydantic import BaseModel, Field, model_validator

from app import edtf_dates
from app.dates import PartialDate, Precision
from app.edtf_dates import OPEN, EventEnd, EventStart
from app.schemas.actors import ActorRef
from app.schemas.common import SLUG_PATTERN, CountryCode, LocalizedIn, RecordIn, Slug, Text
from app.schemas.sources import CitationRead, Citations, DisputeIn, DisputeRead
from app.vocabulary import EventRelationType, EventType, Qualifier, Role


class LocationIn(RecordIn):
    """Where an event took place; coordinates only for a named place."""

    place: Text = Field(description="The named place.", examples=["Bamako"])
    country: CountryCode | None = None
    latitude: float | None = Field(
        default=None, ge=-90, le=90, description="Of the named place's centre.", examples=[12.65]
    )
    longitude: float | None = Field(
        default=None, ge=-180, le=180, description="Of the named place's centre.", examples=[-8.0]
    )

    @model_validator(mode="after")
    def _both_coordinates(self) -> Self:
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("latitude and longitude go together: give both or neither")
        return self


class FigureIn(RecordIn):
    """A number a source gives, with its qualifier and its own citations."""

    measure: str = Field(
        pattern=r"^[a-z][a-z0-9_]*$",
        max_length=60,
        description="What is counted, as a snake_case key.",
        examples=["soldiers_killed"],
    )
    value: int = Field(ge=0, description="The number.", examples=[55])
    qualifier: Qualifier = Field(description="How exact the number is.")
    unit: Text = Field(description="What one unit is.", examples=["soldiers"])
    as_of: PartialDate | None = None
    description: LocalizedIn = Field(description="What the number says, in each language.")
    citations: Citations
    disputes: list[DisputeIn] = Field(default_factory=list, description="Disagreeing sources.")


class ParticipationIn(RecordIn):
    """An actor's role in an event."""

    actor: Slug = Field(description="Id of the actor.", examples=["assimi-goita"])
    role: Role = Field(description="The part the actor plays.")


class EventRelationIn(RecordIn):
    """A link from this event to another."""

    type: EventRelationType = Field(description="The kind of link.")
    event: Slug = Field(description="Id of the other event.", examples=["barkhane-end-announced"])


class EventIn(RecordIn):
    """Something that happened, with who, where, how many, and who says so."""

    id: Slug
    type: EventType = Field(description="The event type; `GET /event-types` lists them.")
    title: LocalizedIn = Field(description="A headline in each language.")
    summary: LocalizedIn = Field(description="A short account in each language.")
    start: EventStart
    end: EventEnd | None = None
    location: LocationIn | None = None
    tags: list[Annotated[str, Field(pattern=SLUG_PATTERN, max_length=60)]] = Field(
        default_factory=list, description="Keywords.", examples=[["takuba"]]
    )
    importance: int = Field(
        ge=1, le=3, description="Editorial weight: 3 marks the key moments.", examples=[3]
    )
    actors: list[ParticipationIn] = Field(default_factory=list, description="Who took part.")
    figures: list[FigureIn] = Field(default_factory=list, description="Numbers sources give.")
    relations: list[EventRelationIn] = Field(
        default_factory=list, description="Links to other events, stored on this event."
    )
    citations: Citations
    disputes: list[DisputeIn] = Field(default_factory=list, description="Disagreeing sources.")

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if (
            self.end
            and self.end != OPEN
            and (edtf_dates.parse(self.end).latest < edtf_dates.parse(self.start).earliest)
        ):
            raise ValueError(f"end {self.end} is before start {self.start}")
        roles = [(p.actor, p.role) for p in self.actors]
        if len(roles) != len(set(roles)):
            raise ValueError("an actor is listed twice with the same role")
        if len(self.tags) != len(set(self.tags)):
            raise ValueError("a tag is listed twice")
        return self


class FigureRead(BaseModel):
    """A number a source gives for the event."""

    measure: str = Field(description="What is counted.", examples=["soldiers_killed"])
    value: int = Field(description="The number.", examples=[55])
    qualifier: Qualifier = Field(description="How exact the number is.", examples=["stated"])
    unit: str = Field(description="What one unit is.", examples=["soldiers"])
    as_of: str | None = Field(
        description="When the number held, at its precision.", examples=["2021-06"]
    )
    description: str = Field(
        description="What the number says, in the served language.",
        examples=["French soldiers killed in the Sahel since 2013"],
    )
    disputed: bool = Field(description="Whether other sources disagree.", examples=[True])
    disputes: list[DisputeRead] = Field(description="How other sources disagree.")
    citations: list[CitationRead] = Field(description="Who says so.")


class ParticipantRead(ActorRef):
    """An actor in an event, with its role."""

    role: Role = Field(description="The part the actor plays.", examples=["initiator"])


class LocationRead(BaseModel):
    """Where the event took place."""

    place: str = Field(description="The named place.", examples=["Kati"])
    country: str | None = Field(description="ISO 3166-1 alpha-2.", examples=["ML"])
    latitude: float | None = Field(description="Of the place's centre.", examples=[12.74])
    longitude: float | None = Field(description="Of the place's centre.", examples=[-8.07])


class EventSummary(BaseModel):
    """An event as listed: enough for a timeline row."""

    id: str = Field(description="Stable id.", examples=["mali-coup-2021"])
    url: str = Field(
        description="Absolute URL of the full event.",
        examples=["https://example.org/events/mali-coup-2021"],
    )
    type: EventType = Field(
        description="The event type; `GET /event-types` lists them.", examples=["coup"]
    )
    title: str = Field(
        description="Headline in the served language.", examples=["Second coup in Mali"]
    )
    summary: str = Field(description="Short account in the served language.")
    start: str = Field(description="Start at its known precision.", examples=["2021-05-24"])
    end: str | None = Field(description="End at its known precision, if a span.", examples=[None])
    precision: Precision = Field(description="Precision of `start`.", examples=["day"])
    earliest: str = Field(description="First day `start` can mean.", examples=["2021-05-24"])
    latest: str = Field(
        description="Last day `end` (or `start`) can mean; 9999-12-31 for an open or unknown end.",
        examples=["2021-05-24"],
    )
    uncertain: bool = Field(
        description="Whether `start` or `end` is uncertain (EDTF `?` or `%`).", examples=[True]
    )
    approximate: bool = Field(
        description="Whether `start` or `end` is approximate (EDTF `~` or `%`).", examples=[False]
    )
    location: LocationRead | None = Field(description="Where, if known.")
    tags: list[str] = Field(description="Keywords.", examples=[["mali", "coup"]])
    importance: int = Field(description="Editorial weight, 3 = key moment.", examples=[3])
    disputed: bool = Field(
        description="Whether sources disagree on the event or one of its figures.", examples=[False]
    )
    actors: list[ParticipantRead] = Field(description="Who took part, with roles.")


class EventRef(BaseModel):
    """An event, briefly."""

    id: str = Field(description="Event id.", examples=["barkhane-end-announced"])
    title: str = Field(description="Headline in the served language.")
    start: str = Field(description="Start at its known precision.", examples=["2021-06-10"])


class EventRelationRead(BaseModel):
    """A link between this event and another, seen from this event."""

    type: EventRelationType = Field(description="The kind of link.", examples=["caused"])
    direction: Literal["outgoing", "incoming"] = Field(
        description="`outgoing`: this event [type] the other; `incoming`: the other [type] this.",
        examples=["outgoing"],
    )
    event: EventRef = Field(description="The other event.")


class EventRead(EventSummary):
    """An event in full: figures, sources with quotes, disputes, relations both ways."""

    figures: list[FigureRead] = Field(description="Numbers sources give.")
    citations: list[CitationRead] = Field(description="Who says the event happened so.")
    disputes: list[DisputeRead] = Field(description="How other sources disagree.")
    relations: list[EventRelationRead] = Field(description="Links to other events, both ways.")


class EventPage(BaseModel):
    """One page of events."""

    items: list[EventSummary] = Field(description="The events on this page, in order.")
    total: int = Field(description="How many events match, on all pages.", examples=[4])
    next: str | None = Field(
        description="Relative URL of the next page; null on the last.",
        examples=["/events?limit=50&cursor=WyIyMDIxLTA1LTI0IiwibWFsaS1jb3VwLTIwMjEiXQ"],
    )
