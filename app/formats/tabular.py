"""CSV (RFC 4180, UTF-8, header row): events and actors, streamed in pieces of 64 KiB."""

import csv
import io
import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from app import serializers
from app.formats.stream import pieces
from app.models import Actor
from app.vocabulary import Language

EVENT_COLUMNS = (
    "id", "type", "title", "summary", "start", "end", "precision", "earliest", "latest",
    "uncertain", "approximate", "place", "country", "latitude", "longitude", "tags",
    "importance", "disputed", "actors", "url",
)  # fmt: skip
FACET_COLUMNS = ("facet", "value", "label", "count", "url")
ACTOR_COLUMNS = ("id", "kind", "name", "description", "aliases", "country", "wikidata", "url")


def _lines(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in itertools.chain([header], rows):
        writer.writerow(["" if value is None else value for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def events(items: Iterable[dict[str, Any]]) -> Iterator[str]:
    """One line per listed event (an `EventSummary` as a dict, in the served language);
    actors as `id:role` joined with `;`, dates as stored."""

    def values(item: dict[str, Any]) -> Sequence[object]:
        location = item["location"] or {}
        return (
            item["id"], item["type"], item["title"], item["summary"], item["start"], item["end"],
            item["precision"], item["earliest"], item["latest"],
            str(item["uncertain"]).lower(), str(item["approximate"]).lower(), location.get("place"),
            location.get("country"), location.get("latitude"), location.get("longitude"),
            ";".join(item["tags"]), item["importance"], str(item["disputed"]).lower(),
            ";".join(f"{a['id']}:{a['role']}" for a in item["actors"]), item["url"],
        )  # fmt: skip

    return pieces(_lines(EVENT_COLUMNS, (values(item) for item in items)))


def actors(rows: Iterable[Actor], lang: Language, base_url: str) -> Iterator[str]:
    """One line per actor; aliases joined with `;`, `url` starting with `base_url`."""

    def values(actor: Actor) -> Sequence[object]:
        item = serializers.actor_summary(actor, lang, base_url)
        return (
            item.id, item.kind.value, item.name, item.description, ";".join(item.aliases),
            item.country, item.wikidata, item.url,
        )  # fmt: skip

    return pieces(_lines(ACTOR_COLUMNS, (values(actor) for actor in rows)))


def facets(rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """One line per count: facet, value (empty for the rest), label, count, url."""
    return pieces(_lines(FACET_COLUMNS, rows))
