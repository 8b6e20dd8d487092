"""GeoJSON (RFC 7946): the events that have coordinates, as Point features, streamed."""

from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from app.formats.stream import pieces


def _features(items: Iterable[dict[str, Any]], limit: int | None) -> Iterator[str]:
    yield '{"type":"FeatureCollection","features":['
    separator, left = "", limit
    for item in items:
        if left == 0:
            break
        location = item["location"]
        if location is None or location["latitude"] is None or location["longitude"] is None:
            continue
        point = {"type": "Point", "coordinates": [location["longitude"], location["latitude"]]}
        feature = {"type": "Feature", "id": item["id"], "geometry": point, "properties": item}
        yield separator + orjson.dumps(feature).decode()
        separator = ","
        left = None if left is None else left - 1
    yield "]}"


def collection(items: Iterable[dict[str, Any]], limit: int | None = None) -> Iterator[str]:
    """A FeatureCollection of the located events (the first `limit` of them, if given), as
    JSON text in pieces; properties are the list items (`EventSummary`), which `items`
    yields in order and which are read no further than the last feature sent."""
    return pieces(_features(items, limit))
