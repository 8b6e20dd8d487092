"""Facets: counts of the events a filter matches, by value and over time."""

from pydantic import BaseModel, Field

from app.dates import Precision


class FacetValue(BaseModel):
    """How many matching events have one value; `value` null for the rest (`Other`)."""

    value: str | None = Field(
        description="The value, as the filter takes it; null for the events with none of "
        "the values shown.",
        examples=["coup"],
    )
    label: str = Field(description="The value's name in the served language.", examples=["Coup"])
    count: int = Field(ge=0, description="Matching events with this value.", examples=[4])
    url: str | None = Field(
        description="The list of exactly these events; null for `Other`.",
        examples=["/events?type=coup"],
    )


class Bucket(BaseModel):
    """How many matching events start in one period."""

    value: str = Field(description="The period: YYYY, YYYY-MM or YYYY-MM-DD.", examples=["2021"])
    count: int = Field(ge=0, description="Matching events that start in it.", examples=[9])
    url: str = Field(
        description="The list of exactly these events.", examples=["/events?starts_in=2021"]
    )


class Coarser(BaseModel):
    """The matching events whose start is known less precisely than the interval."""

    count: int = Field(ge=0, description="How many there are.", examples=[2])
    url: str | None = Field(
        description="The list of exactly these events; null when the interval is a year.",
        examples=["/events?precision=year"],
    )


class DateHistogram(BaseModel):
    """Matching events by the period their start falls in; empty periods between the first
    and the last are listed with 0. The buckets and `coarser` add up to `total`."""

    interval: Precision = Field(description="The width of a bucket.")
    buckets: list[Bucket] = Field(description="Every period from the first to the last.")
    coarser: Coarser = Field(description="Events dated less precisely than a bucket.")


ValueList = list[FacetValue]


class Facets(BaseModel):
    """The facets asked for (`facet=`), and only those."""

    type: ValueList | None = Field(default=None, description="By event type.")
    actor: ValueList | None = Field(default=None, description="By actor taking part.")
    role: ValueList | None = Field(default=None, description="By role some actor plays.")
    country: ValueList | None = Field(default=None, description="By country of the event.")
    tag: ValueList | None = Field(default=None, description="By tag.")
    importance: ValueList | None = Field(default=None, description="By editorial weight.")
    disputed: ValueList | None = Field(default=None, description="By whether it is disputed.")
    date: DateHistogram | None = Field(default=None, description="Histogram over time.")


class FacetsRead(BaseModel):
    """The matching events counted by the facets asked for."""

    total: int = Field(ge=0, description="How many events match the filters.", examples=[78])
    facets: Facets = Field(description="The counts, by facet.")
