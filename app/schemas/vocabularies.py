"""The vocabularies a frontend builds its filters from: tags and countries, with counts."""

from pydantic import BaseModel, Field


class TagRead(BaseModel):
    """A tag and how many events carry it."""

    id: str = Field(description="The value used in `tag=` filters.", examples=["coup"])
    count: int = Field(description="Events with this tag.", examples=[4])


class CountryRead(BaseModel):
    """A country that events or actors name, with its label and counts."""

    id: str = Field(
        description="ISO 3166-1 alpha-2 code, the value used in `country=` filters.",
        examples=["ML"],
    )
    label: str = Field(description="Name in the served language.", examples=["Mali"])
    events: int = Field(description="Events that took place in it.", examples=[41])
    actors: int = Field(description="Actors from it.", examples=[12])
