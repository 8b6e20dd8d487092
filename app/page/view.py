"""What the timeline page and an event's own page show, read from the database: the events
in full, the eras and years behind them, the filters' choices and the current release."""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

import orjson
from sqlalchemy.orm import Session

from app import queries
from app.edtf_dates import FAR_FUTURE
from app.errors import NotFound
from app.page.phrasing import Phrasing
from app.page.words import LANGUAGE_NAMES
from app.queries import EventFilter
from app.queries.releases import get_release
from app.queries.timeline_page import actor_names, data_span
from app.vocabulary import EVENT_TYPE_LABELS, EventType, Language

# The page shows this many events at most; the API pages through the rest.
LIMIT = 500
# Filters the page's form sets itself; any other filter of `/events` in the URL is kept.
FORM_FILTERS = ("q", "actor", "type", "from", "to", "importance")


@dataclass(frozen=True)
class Band:
    """An era or a year on the bar of years: where it starts and how wide it is, in percent."""

    id: str
    label: str
    first: str
    last: str
    left: float
    width: float
    count: int = 0


@dataclass(frozen=True)
class Axis:
    """The data's years, from 1 January of the first to 31 December of the last."""

    start: date
    end: date

    def at(self, day: str) -> float:
        """Where `day` (ISO, clamped to the axis) lies, in percent of the axis."""
        when = min(max(date.fromisoformat(day), self.start), self.end)
        return round(100 * (when - self.start).days / (self.end - self.start).days, 2)

    def band(self, first: str, last: str, **fields: Any) -> Band:
        """A band from the first day `first` to the last day `last`."""
        left = self.at(first)
        return Band(first=first[:4], last=last[:4], left=left, width=self.at(last) - left, **fields)


def query_string(pairs: list[tuple[str, str]], **changes: str | None) -> str:
    """`?a=1&b=2` from `pairs` with `changes` applied (None removes); empty when nothing is left."""
    kept = [(name, value) for name, value in pairs if name not in changes]
    kept += [(name, value) for name, value in changes.items() if value is not None]
    return f"?{urlencode(kept)}" if kept else ""


def _month(value: str, *, last: bool) -> str:
    """A `from` or `to` value as a month picker shows it: `2013` is January or December."""
    if len(value) == 4:
        return f"{value}-12" if last else f"{value}-01"
    return value[:7]


def _events(
    session: Session, filters: EventFilter, lang: Language
) -> tuple[list[dict[str, Any]], int]:
    """The first `LIMIT` matching events in full, and how many match."""
    page = queries.list_events(session, filters, lang.value, limit=LIMIT, in_full=True)
    return [orjson.loads(row.json) for row in page.rows], page.total


def _eras(session: Session, axis: Axis, lang: Language) -> list[Band]:
    """The operations with a known end, as bands on the axis."""
    operations = EventFilter(types=[EventType.OPERATION])
    rows = queries.list_events(session, operations, lang.value, limit=LIMIT).rows
    eras = [orjson.loads(row.json) for row in rows]
    return [
        axis.band(era["earliest"], era["latest"], id=era["id"], label=era["title"])
        for era in eras
        if era["end"] and era["latest"] != FAR_FUTURE
    ]


def _years(axis: Axis, events: list[dict[str, Any]]) -> list[Band]:
    """One band per year of the axis, with how many of `events` start in it."""
    counts = Counter(event["earliest"][:4] for event in events)
    return [
        axis.band(f"{year}-01-01", f"{year}-12-31", id=year, label=year, count=counts[year])
        for year in map(str, range(axis.start.year, axis.end.year + 1))
    ]


def _release(session: Session, words: Phrasing) -> dict[str, str] | None:
    """The current release's date and time, for `<time>` and in words with its number."""
    dataset = queries.get_dataset(session)
    release = get_release(session, dataset.release) if dataset and dataset.release else None
    if release is None:
        return None
    created = release.created_at
    return {
        "iso": created.isoformat(),
        "text": words.text(
            "updated",
            release=release.number,
            date=words.date(created.date().isoformat()),
            time=created.strftime("%H:%M"),
        ),
    }


def _languages(
    pairs: list[tuple[str, str]], path: str, current: Language
) -> list[dict[str, str | bool]]:
    """The language switch: each language's name, link to this view and whether it is shown."""
    return [
        {
            "code": lang.value,
            "name": LANGUAGE_NAMES[lang],
            "href": path + query_string(pairs, lang=lang.value),
            "current": lang == current,
        }
        for lang in Language
    ]


def timeline(
    session: Session, filters: EventFilter, pairs: list[tuple[str, str]], lang: Language
) -> dict[str, Any]:
    """The timeline page's content for the filters (`pairs`: the query as given)."""
    words = Phrasing(lang)
    events, total = _events(session, filters, lang)
    span = data_span(session)
    axis = Axis(date(int(span[0][:4]), 1, 1), date(int(span[1][:4]), 12, 31)) if span else None
    types = queries.count_events_by_type(session)
    values = dict(pairs)
    return {
        "words": words,
        "lang": lang.value,
        "languages": _languages(pairs, "/", lang),
        "events": events,
        "listed": {event["id"] for event in events},
        "total": total,
        "limit": LIMIT,
        "api_query": query_string(pairs, lang=lang.value),
        "eras": _eras(session, axis, lang) if axis else [],
        "years": _years(axis, events) if axis else [],
        "span": span,
        "release": _release(session, words),
        "form": {name: values.get(name, "") for name in FORM_FILTERS},
        "months": {
            name: _month(values[name], last=name == "to") if values.get(name) else ""
            for name in ("from", "to")
        },
        "kept": [(name, value) for name, value in pairs if name not in (*FORM_FILTERS, "lang")],
        "types": [
            (event_type.value, getattr(labels, lang.value))
            for event_type, labels in EVENT_TYPE_LABELS.items()
            if types.get(event_type)
        ],
        "actors": sorted(actor_names(session, lang), key=lambda actor: actor[1].casefold()),
    }


def one_event(
    session: Session, event_id: str, pairs: list[tuple[str, str]], lang: Language
) -> dict[str, Any]:
    """An event's own page: the event in full, with the release line and language switch."""
    words = Phrasing(lang)
    found = queries.get_event_json(session, event_id, lang.value)
    if found is None:  # the route found it in the same session; gone since only by a load
        raise NotFound(f"no event with id {event_id!r}")
    event = orjson.loads(found)
    return {
        "words": words,
        "lang": lang.value,
        "languages": _languages(pairs, f"/e/{event_id}", lang),
        "event": event,
        "listed": set(),
        "release": _release(session, words),
    }
