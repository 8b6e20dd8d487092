"""GeoJSON (RFC 7946): the events that have coordinates, as Point features."""

from collections.abc import Iterable

from geojson_pydantic import Feature, FeatureCollection, Point

from app import serializers
from app.models import Event
from app.schemas import EventSummary
from app.vocabulary import Language

EventFeature = Feature[Point, EventSummary]
EventCollection = FeatureCollection[EventFeature]


def collection(events: Iterable[Event], lang: Language) -> EventCollection:
    """A FeatureCollection of the located events; properties are the list-item fields."""
    features = [
        EventFeature(
            type="Feature",
            id=event.id,
            geometry=Point(type="Point", coordinates=(event.longitude, event.latitude)),
            properties=serializers.event_summary(event, lang),
        )
        for event in events
        if event.latitude is not None and event.longitude is not None
    ]
    return EventCollection(type="FeatureCollection", features=features)
