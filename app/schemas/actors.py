"""Actors: `ActorIn` in data files, `Actor*Read` and `ActorPage` in responses."""

from typing import Literal

from pydantic import BaseModel, Field

from app.dates import PartialDate
from app.schemas.common import CountryCode, LocalizedIn, RecordIn, Slug, Text
from app.schemas.sources import CitationRead, Citations
from app.vocabulary import ActorKind, ActorRelationType


class ActorRelationIn(RecordIn):
    """How this actor stands to another, over which period."""

    type: ActorRelationType = Field(description="The kind of link.")
    actor: Slug = Field(description="Id of the other actor.", examples=["takuba"])
    start: PartialDate | None = None
    end: PartialDate | None = None
    citations: Citations


class ActorIn(RecordIn):
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


class ActorRef(BaseModel):
    """An actor, briefly."""

    id: str = Field(description="Actor id.", examples=["assimi-goita"])
    name: str = Field(description="Name in the served language.", examples=["Assimi Goïta"])
    kind: ActorKind = Field(description="Sort of actor.", examples=["person"])


class ActorSummary(BaseModel):
    """An actor as listed."""

    id: str = Field(description="Stable id.", examples=["takuba"])
    url: str = Field(
        description="Absolute URL of the full actor.",
        examples=["https://example.org/actors/takuba"],
    )
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


class ActorPage(BaseModel):
    """One page of actors."""

    items: list[ActorSummary] = Field(description="The actors on this page, in order.")
    total: int = Field(description="How many actors match, on all pages.", examples=[12])
    next: str | None = Field(description="Relative URL of the next page; null on the last.")
