"""The documents other formats' clients load: TimelineJS 3 JSON and GeoJSON (RFC 7946).

These describe the bodies `app/formats/` streams, for the OpenAPI document, so that
generated clients get types; the renderers write the bytes themselves, and a test checks
real responses against these schemas.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.schemas.events import EventSummary


class _Closed(BaseModel):
    """A body part with exactly the keys it declares: the schema says no others come."""

    model_config = ConfigDict(extra="forbid")


class TimelineDate(_Closed):
    """A date as TimelineJS takes it, in parts only as far as the date is known."""

    year: int = Field(description="The year.", examples=[2021])
    month: int | None = Field(
        default=None, ge=1, le=12, description="The month; absent when unknown.", examples=[5]
    )
    day: int | None = Field(
        default=None, ge=1, le=31, description="The day; absent when unknown.", examples=[24]
    )


class TimelineText(_Closed):
    """A slide's or an era's words, as HTML."""

    headline: str = Field(description="The title, HTML-escaped.", examples=["Mali coup"])
    text: str | None = Field(
        default=None,
        description="Paragraphs of HTML: the summary, the actors, the first source with its "
        "quote and a link; absent on eras.",
        examples=["<p>Colonel Assimi Goïta has the president arrested.</p>"],
    )


class TimelineTitle(_Closed):
    """The title slide: the timeline's name, or that nothing matched."""

    unique_id: str = Field(description="Always `sahel-timeline`.", examples=["sahel-timeline"])
    text: TimelineText = Field(description="Headline and introduction.")


class TimelineSlide(_Closed):
    """One event as a slide. Slides carry no `media`: the data holds no images or videos."""

    unique_id: str = Field(
        description="The event's id, or `nothing-matched` for the one slide of an empty result.",
        examples=["mali-coup-2021"],
    )
    start_date: TimelineDate = Field(description="When the event starts.")
    end_date: TimelineDate | None = Field(
        default=None, description="When a span ends; absent for a moment or an open end."
    )
    text: TimelineText = Field(description="Title and details.")
    group: str | None = Field(
        default=None,
        description="The navigation row: the operation under way (`group=era`) or the type.",
        examples=["Operation Barkhane"],
    )
    display_date: str | None = Field(
        default=None,
        description="The dates in words where TimelineJS's own label would mislead: "
        "uncertain, approximate or partly known dates.",
        examples=["May 2021"],
    )


class TimelineEra(_Closed):
    """An operation as a band on the time axis."""

    start_date: TimelineDate = Field(description="When the operation begins.")
    end_date: TimelineDate = Field(description="When it ends.")
    text: TimelineText = Field(description="Its name.")


class Timeline(_Closed):
    """A TimelineJS 3 document: `new TL.Timeline(element, url)` loads it unmodified."""

    title: TimelineTitle = Field(description="The title slide.")
    events: list[TimelineSlide] = Field(
        min_length=1,
        description="The matching events in date order, or the one slide that says nothing "
        "matched (TimelineJS refuses a timeline without events).",
    )
    eras: list[TimelineEra] = Field(description="The operations that end, in date order.")


class PointGeometry(_Closed):
    """Where an event took place."""

    type: Literal["Point"] = Field(description="Always `Point`.")
    coordinates: tuple[float, float] = Field(
        description="Longitude, then latitude (RFC 7946), of the named place.",
        examples=[[-8.0, 12.65]],
    )


class Feature(_Closed):
    """One located event."""

    type: Literal["Feature"] = Field(description="Always `Feature`.")
    id: str = Field(description="The event's id.", examples=["mali-coup-2021"])
    geometry: PointGeometry = Field(description="The event's place as a point.")
    properties: EventSummary = Field(description="The event as `/events` lists it.")


class FeatureCollection(_Closed):
    """The matching events that have coordinates, in the order asked for."""

    type: Literal["FeatureCollection"] = Field(description="Always `FeatureCollection`.")
    features: list[Feature] = Field(description="One feature per located event.")
