"""TimelineJS 3 JSON: what `new TL.Timeline(element, url)` loads unmodified.

Dates go as parts (`year`, `month`, `day`) only as far as they are known, because TimelineJS
builds dates in the browser's local time and infers the display precision from the parts
present. Text is HTML-escaped; operations become eras.
"""

from collections.abc import Iterable, Iterator
from html import escape
from typing import Any

import orjson

from app import date_labels, edtf_dates
from app.formats.stream import pieces
from app.vocabulary import EVENT_TYPE_LABELS, EventType, Language

WORDS = {
    Language.EN: {"actors": "Actors", "source": "Source", "title": "France in the Sahel"},
    Language.NL: {"actors": "Betrokkenen", "source": "Bron", "title": "Frankrijk in de Sahel"},
    Language.FR: {"actors": "Acteurs", "source": "Source", "title": "La France au Sahel"},
}
INTRO = {
    Language.EN: "From Operation Serval to the end of Barkhane: a sourced timeline.",
    Language.NL: "Van Operatie Serval tot het einde van Barkhane: een tijdlijn met bronnen.",
    Language.FR: "De l'opération Serval à la fin de Barkhane : une chronologie sourcée.",
}


def date_parts(value: str) -> dict[str, int]:
    """`{year, month?, day?}` only as precise as `value` is known; an unknown year, month
    or season gives the first one it can be."""
    parsed = edtf_dates.parse(value)
    parts = {"year": parsed.year or int(parsed.earliest[:4])}
    if parsed.month is not None:
        parts["month"] = parsed.month
    if parsed.day is not None:
        parts["day"] = parsed.day
    return parts


def display_date(start: str, end: str | None, lang: Language) -> str | None:
    """A label for dates that are not plain days; None when TimelineJS's own label is right."""
    plain = all(
        value not in {edtf_dates.OPEN, edtf_dates.UNKNOWN}
        and edtf_dates.parse(value).plain
        and edtf_dates.parse(value).day is not None
        for value in (start, *([end] if end is not None else []))
    )
    return None if plain else date_labels.span(start, end, lang)


def _text(event: dict[str, Any], lang: Language) -> str:
    words = WORDS[lang]
    paragraphs = [escape(event["summary"])]
    if event["actors"]:
        names = ", ".join(f"{escape(a['name'])} ({escape(a['role'])})" for a in event["actors"])
        paragraphs.append(f"<strong>{words['actors']}:</strong> {names}")
    for citation in event["citations"][:1]:
        source = citation["source"]
        where = ", ".join(filter(None, [source["publisher"], source["published"]]))
        paragraphs.append(
            f"<strong>{words['source']}:</strong> {escape(where)}: "
            f'<q lang="{escape(source["language"])}">{escape(citation["quote"])}</q>'
        )
    return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


def _slide(event: dict[str, Any], lang: Language) -> dict[str, Any]:
    slide: dict[str, Any] = {
        "unique_id": event["id"],
        "start_date": date_parts(event["start"]),
        "text": {"headline": escape(event["title"]), "text": _text(event, lang)},
        "group": getattr(EVENT_TYPE_LABELS[EventType(event["type"])], lang.value),
    }
    if event["end"] and event["end"] != edtf_dates.OPEN:
        slide["end_date"] = date_parts(event["end"])
    label = display_date(event["start"], event["end"], lang)
    if label:
        slide["display_date"] = label
    return slide


def _document(
    events: Iterable[dict[str, Any]], eras: Iterable[dict[str, Any]], lang: Language
) -> Iterator[str]:
    title = {
        "unique_id": "sahel-timeline",
        "text": {"headline": WORDS[lang]["title"], "text": f"<p>{INTRO[lang]}</p>"},
    }
    yield '{"title":' + orjson.dumps(title).decode() + ',"events":['
    separator = ""
    for event in events:
        yield separator + orjson.dumps(_slide(event, lang)).decode()
        separator = ","
    bands = [
        {
            "start_date": date_parts(era["start"]),
            "end_date": date_parts(era["end"]),
            "text": {"headline": escape(era["title"])},
        }
        for era in eras
        if era["end"] and era["end"] != edtf_dates.OPEN
    ]
    yield '],"eras":' + orjson.dumps(bands).decode() + "}"


def timeline(
    events: Iterable[dict[str, Any]], eras: Iterable[dict[str, Any]], lang: Language
) -> Iterator[str]:
    """The TimelineJS document as JSON text in pieces: a title slide, one slide per event
    (`events` in full, as `EventRead` dicts, consumed as the pieces are sent), operations
    (`eras`, list items, read after the events) as eras."""
    return pieces(_document(events, eras, lang))
