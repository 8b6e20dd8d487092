"""Pydantic models: `*In` validate the data files, `*Read` shape every JSON response.

The data files and the API share these definitions, and `data/schema.json` is generated
from `DataFile`, so what reviewers read, what `load` accepts and what clients get agree.
"""

from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app import dates
from app.dates import PartialDate, Precision
from app.vocabulary import (
    ActorKind,
    ActorRelationType,
    EventRelationType,
    EventType,
    Qualifier,
    Role,
)

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Slug = Annotated[
    str,
    Field(
        pattern=SLUG_PATTERN,
        max_length=100,
        description="A stable identifier: lower-case words joined by hyphens.",
        examples=["mali-coup-2021"],
    ),
]
CountryCode = Annotated[
    str,
    Field(
        pattern=r"^[A-Z]{2}$",
        description="ISO 3166-1 alpha-2 country code.",
        examples=["ML"],
    ),
]
Text = Annotated[str, Field(min_length=1)]


class _In(BaseModel):
    """Data-file records: unknown keys are mistakes, not extensions."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class LocalizedIn(_In):
    """The same text in English, Dutch and French."""

    en: Text = Field(description="English.", examples=["Second coup in Mali"])
    nl: Text = Field(description="Dutch.", examples=["Tweede staatsgreep in Mali"])
    fr: Text = Field(description="French.", examples=["Second coup d'État au Mali"])

    def get(self, language: str) -> str:
        """The text in `language` (one of en, nl, fr)."""
        text: str = getattr(self, language)
        return text


class CitationIn(_In):
    """A source and the verbatim sentence in it that supports the claim."""

    source: Slug = Field(description="Id of a source record.", examples=["nrc-2021-06-barkhane"])
    quote: Text = Field(
        description="The supporting sentence, verbatim and in the source's language.",
        examples=["Donderdag heeft president Emmanuel Macron aangekondigd ..."],
    )


Citations = Annotated[
    list[CitationIn],
    Field(min_length=1, description="At least one citation supports the claim."),
]


class DisputeIn(_In):
    """Other sources that disagree with a claim, and how."""

    note: Text = Field(
        description="What the other sources say and how it differs, in English.",
        examples=["Most agencies count nine months between the two coups."],
    )
    citations: list[CitationIn] = Field(
        default_factory=list,
        description="The disagreeing sources; empty when the note derives from other records.",
    )


class SourceIn(_In):
    """A publication cited by the data set."""

    id: Slug
    title: str | None = Field(
        default=None,
        description="The title, where the copy read shows one.",
        examples=["La Task Force Takuba est lancée"],
    )
    publisher: Text = Field(description="Who published it.", examples=["NRC"])
    published: PartialDate | None = None
    language: str = Field(
        pattern=r"^[a-z]{2}$", description="ISO 639-1 language code.", examples=["nl"]
    )
    url: str | None = Field(
        default=None,
        pattern=r"^https?://",
        description="Where it can be read, if online.",
        examples=["https://www.coalition-sahel.org/la-task-force-takuba-est-lancee/"],
    )


class ActorRelationIn(_In):
    """How this actor stands to another, over which period."""

    type: ActorRelationType = Field(description="The kind of link.")
    actor: Slug = Field(description="Id of the other actor.", examples=["takuba"])
    start: PartialDate | None = None
    end: PartialDate | None = None
    citations: Citations


class ActorIn(_In):
    """A person, state, force, group or organisation."""

    id: Slug
    kind: ActorKind = Field(description="What sort of actor this is.")
    name: LocalizedIn = Field(description="The name in each language.")
    description: LocalizedIn = Field(description="One or two sentences on who this is.")
    aliases: list[Text] = Field(
        default_factory=list, description="Other names and abbreviations.", examples=[["GSIM"]]
    )
    country: CountryCode | None = None
    wikidata: str | None = Field(
        default=None,
        pattern=r"^Q[1-9][0-9]*$",
        description="Wikidata item id.",
        examples=["Q3052772"],
    )
    relations: list[ActorRelationIn] = Field(
        default_factory=list, description="Links to other actors, stored on this actor."
    )
    citations: Citations


class LocationIn(_In):
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


class FigureIn(_In):
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


class ParticipationIn(_In):
    """An actor's role in an event."""

    actor: Slug = Field(description="Id of the actor.", examples=["assimi-goita"])
    role: Role = Field(description="The part the actor plays.")


class EventRelationIn(_In):
    """A link from this event to another."""

    type: EventRelationType = Field(description="The kind of link.")
    event: Slug = Field(description="Id of the other event.", examples=["barkhane-end-announced"])


class EventIn(_In):
    """Something that happened, with who, where, how many, and who says so."""

    id: Slug
    type: EventType = Field(description="The event type; `GET /event-types` lists them.")
    title: LocalizedIn = Field(description="A headline in each language.")
    summary: LocalizedIn = Field(description="A short account in each language.")
    start: PartialDate
    end: PartialDate | None = None
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
        if self.end is not None and dates.bounds(self.end)[1] < dates.bounds(self.start)[0]:
            raise ValueError(f"end {self.end} is before start {self.start}")
        roles = [(p.actor, p.role) for p in self.actors]
        if len(roles) != len(set(roles)):
            raise ValueError("an actor is listed twice with the same role")
        if len(self.tags) != len(set(self.tags)):
            raise ValueError("a tag is listed twice")
        return self


class DataFile(_In):
    """One data file: any mix of sources, actors and events."""

    schema_: str | None = Field(
        default=None, alias="$schema", description="Path of the JSON Schema, for editors."
    )
    sources: list[SourceIn] = Field(default_factory=list, description="Cited publications.")
    actors: list[ActorIn] = Field(default_factory=list, description="Actors.")
    events: list[EventIn] = Field(default_factory=list, description="Events.")


# --- Responses ---------------------------------------------------------------------------


class SourceRead(BaseModel):
    """A publication the data set cites."""

    id: str = Field(description="Stable id.", examples=["nrc-2021-06-barkhane"])
    title: str | None = Field(description="Title, where known.", examples=[None])
    publisher: str = Field(description="Who published it.", examples=["NRC"])
    published: str | None = Field(
        description="Publication date at its precision.", examples=["2021-06"]
    )
    language: str = Field(description="ISO 639-1 language of the source.", examples=["nl"])
    url: str | None = Field(description="Where it can be read, if online.", examples=[None])


class CitationRead(BaseModel):
    """A source and the verbatim sentence that supports a claim."""

    source: SourceRead = Field(description="The cited publication.")
    quote: str = Field(
        description="The supporting sentence, verbatim, in the source's language.",
        examples=[
            "Donderdag heeft president Emmanuel Macron aangekondigd dat Operatie Barkhane, "
            "de Franse militaire missie tegen het jihadisme in de Sahel, wordt beëindigd."
        ],
    )


class DisputeRead(BaseModel):
    """Other sources disagree with the claim it is attached to."""

    note: str = Field(
        description="What the other sources say, in English.",
        examples=["18 August 2020 to 24 May 2021 is nine months."],
    )
    citations: list[CitationRead] = Field(description="The disagreeing sources.")


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


class ActorRef(BaseModel):
    """An actor, briefly."""

    id: str = Field(description="Actor id.", examples=["assimi-goita"])
    name: str = Field(description="Name in the served language.", examples=["Assimi Goïta"])
    kind: ActorKind = Field(description="Sort of actor.", examples=["person"])


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
    url: str = Field(description="Path of the full event.", examples=["/events/mali-coup-2021"])
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
        description="Last day `end` (or `start`) can mean.", examples=["2021-05-24"]
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


class ActorSummary(BaseModel):
    """An actor as listed."""

    id: str = Field(description="Stable id.", examples=["takuba"])
    url: str = Field(description="Path of the full actor.", examples=["/actors/takuba"])
    kind: ActorKind = Field(description="Sort of actor.", examples=["multinational_force"])
    name: str = Field(description="Name in the served language.", examples=["Task Force Takuba"])
    description: str = Field(description="Who this is, in the served language.")
    aliases: list[str] = Field(description="Other names.", examples=[["Takuba"]])
    country: str | None = Field(description="ISO 3166-1 alpha-2.", examples=["FR"])
    wikidata: str | None = Field(description="Wikidata item id.", examples=[None])


class ActorRelationRead(BaseModel):
    """A link between this actor and another, seen from this actor."""

    type: ActorRelationType = Field(description="The kind of link.", examples=["contributes_to"])
    direction: Literal["outgoing", "incoming"] = Field(
        description="`outgoing`: this actor [type] the other; `incoming`: the other [type] this.",
        examples=["outgoing"],
    )
    actor: ActorRef = Field(description="The other actor.")
    start: str | None = Field(description="Since when, at its precision.", examples=["2020"])
    end: str | None = Field(description="Until when, at its precision.", examples=[None])
    citations: list[CitationRead] = Field(description="Who says so.")


class ActorRead(ActorSummary):
    """An actor in full, with its links to other actors both ways."""

    relations: list[ActorRelationRead] = Field(description="Links to other actors, both ways.")
    citations: list[CitationRead] = Field(description="Sources for this actor.")


class EventPage(BaseModel):
    """One page of events."""

    items: list[EventSummary] = Field(description="The events on this page, in order.")
    total: int = Field(description="How many events match, on all pages.", examples=[4])
    next: str | None = Field(
        description="Relative URL of the next page; null on the last.",
        examples=["/events?limit=50&cursor=WyIyMDIxLTA1LTI0IiwibWFsaS1jb3VwLTIwMjEiXQ"],
    )


class ActorPage(BaseModel):
    """One page of actors."""

    items: list[ActorSummary] = Field(description="The actors on this page, in order.")
    total: int = Field(description="How many actors match, on all pages.", examples=[12])
    next: str | None = Field(description="Relative URL of the next page; null on the last.")


class EventTypeRead(BaseModel):
    """An event type with its label and how many events have it."""

    id: EventType = Field(description="The value used in `type=` filters.", examples=["coup"])
    label: str = Field(description="Label in the served language.", examples=["Coup"])
    count: int = Field(description="Events of this type.", examples=[2])


class IndexRead(BaseModel):
    """What this service is and where to go next."""

    name: str = Field(description="Service name.", examples=["Sahel Timeline API"])
    version: str = Field(description="Service version.", examples=["1.0.0"])
    description: str = Field(description="What it serves.")
    links: dict[str, str] = Field(
        description="Paths of the collections and the docs.",
        examples=[{"events": "/events", "docs": "/docs"}],
    )


class HealthRead(BaseModel):
    """The service and its database answer."""

    status: Literal["ok"] = Field(description="Always `ok` on a 200.", examples=["ok"])
    database: str = Field(description="Dialect of the database that answered.", examples=["sqlite"])
    events: int = Field(description="Events in the database.", examples=[40])


class ProblemItem(BaseModel):
    """One thing wrong with a request."""

    location: str = Field(description="`query`, `path` or `header`.", examples=["query"])
    name: str = Field(description="The parameter at fault.", examples=["from"])
    message: str = Field(description="What is wrong with it.", examples=["not a date"])


class Problem(BaseModel):
    """An RFC 9457 problem details object, sent as `application/problem+json`."""

    type: str = Field(description="URI naming the problem type.", examples=["about:blank"])
    title: str = Field(description="Short summary of the problem type.", examples=["Bad Request"])
    status: int = Field(description="The HTTP status code.", examples=[400])
    detail: str = Field(description="What went wrong in this request.")
    instance: str | None = Field(
        default=None, description="The request path.", examples=["/events"]
    )
    errors: list[ProblemItem] = Field(
        default_factory=list, description="Each parameter at fault, when there are any."
    )
