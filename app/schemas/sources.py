"""Sources, the citations that quote them, and disputes: in data files and in responses."""

from typing import Annotated

from pydantic import BaseModel, Field

from app.dates import PartialDate
from app.schemas.common import RecordIn, Slug, Text


class CitationIn(RecordIn):
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


class DisputeIn(RecordIn):
    """Other sources that disagree with a claim, and how."""

    note: Text = Field(
        description="What the other sources say and how it differs, in English.",
        examples=["Most agencies count nine months between the two coups."],
    )
    citations: list[CitationIn] = Field(
        default_factory=list,
        description="The disagreeing sources; empty when the note derives from other records.",
    )


class SourceIn(RecordIn):
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
