"""TimelineJS 3 JSON: what `new TL.Timeline(element, url)` loads unmodified.

Dates go as parts (`year`, `month`, `day`) only as far as they are known, because TimelineJS
builds dates in the browser's local time and infers the display precision from the parts
present. Text is HTML-escaped; operations become eras, and by default the navigation rows
(`group`) too: a dozen rows of event types leave each too narrow for its label.
"""

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from html import escape
from itertools import chain
from typing import Any, Literal

import orjson

from app import date_labels, edtf_dates
from app.formats.stream import pieces
from app.vocabulary import EVENT_TYPE_LABELS, EventType, Language

WORDS = {
    Language.EN: {"actors": "Actors", "source": "Source", "title": "France in the Sahel"},
    Language.NL: {"actors": "Betrokkenen", "source": "Bron", "title": "Frankrijk in de Sahel"},
    Language.FR: {"actors": "Acteurs", "source": "Source", "title": "La France au Sahel"},
}
NOTHING = {
    Language.EN: ("No events match", "No event matches these filters."),
    Language.NL: ("Geen gebeurtenissen gevonden", "Geen gebeurtenis voldoet aan deze filters."),
    Language.FR: ("Aucun événement trouvé", "Aucun événement ne correspond à ces filtres."),
}
Grouping = Literal["era", "type"]
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
        where = escape(", ".join(filter(None, [source["publisher"], source["published"]])))
        if source["url"]:
            where = f'<a href="{escape(source["url"])}" rel="noopener">{where}</a>'
        paragraphs.append(
            f"<strong>{words['source']}:</strong> {where}: "
            f'<q lang="{escape(source["language"])}">{escape(citation["quote"])}</q>'
        )
    return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


def _group(
    event: dict[str, Any], lang: Language, eras: list[dict[str, Any]], grouping: Grouping
) -> str | None:
    """The row an event is shown in: its type's label, or the era under way when it starts
    that began last (the innermost, as eras overlap; none outside every operation)."""
    if grouping == "type":
        return str(getattr(EVENT_TYPE_LABELS[EventType(event["type"])], lang.value))
    under_way = [era for era in eras if era["earliest"] <= event["earliest"] <= era["latest"]]
    return str(max(under_way, key=lambda era: era["earliest"])["title"]) if under_way else None


def _slide(
    event: dict[str, Any], lang: Language, eras: list[dict[str, Any]], grouping: Grouping
) -> dict[str, Any]:
    group = _group(event, lang, eras, grouping)
    slide: dict[str, Any] = {
        "unique_id": event["id"],
        "start_date": date_parts(event["start"]),
        "text": {"headline": escape(event["title"]), "text": _text(event, lang)},
    }
    if group is not None:
        slide["group"] = escape(group)
    if event["end"] and event["end"] != edtf_dates.OPEN:
        slide["end_date"] = date_parts(event["end"])
    label = display_date(event["start"], event["end"], lang)
    if label:
        slide["display_date"] = label
    return slide


def _nothing(lang: Language, when: str) -> dict[str, Any]:
    """The one slide of a timeline where nothing matched, at `when` (a partial ISO date)."""
    headline, text = NOTHING[lang]
    return {
        "unique_id": "nothing-matched",
        "start_date": date_parts(when),
        "text": {"headline": headline, "text": f"<p>{text}</p>"},
    }


def _document(
    events: Iterable[dict[str, Any]],
    eras: Iterable[dict[str, Any]],
    lang: Language,
    grouping: Grouping,
    period: str | None,
) -> Iterator[str]:
    bands = [era for era in eras if era["end"] and era["end"] != edtf_dates.OPEN]
    slides = iter(events)
    first = next(slides, None)
    headline, intro = NOTHING[lang] if first is None else (WORDS[lang]["title"], INTRO[lang])
    title = {
        "unique_id": "sahel-timeline",
        "text": {"headline": headline, "text": f"<p>{intro}</p>"},
    }
    yield '{"title":' + orjson.dumps(title).decode() + ',"events":['
    if first is None:
        # TimelineJS refuses a timeline without events (as an error about a spreadsheet):
        # one slide says that nothing matched, at the period asked for, else where the
        # operations begin, else in the current year.
        when = period or (bands[0]["start"] if bands else str(datetime.now(UTC).year))
        yield orjson.dumps(_nothing(lang, when)).decode()
    separator = ""
    for event in chain([first], slides) if first is not None else ():
        yield separator + orjson.dumps(_slide(event, lang, bands, grouping)).decode()
        separator = ","
    shown = [
        {
            "start_date": date_parts(era["start"]),
            "end_date": date_parts(era["end"]),
            "text": {"headline": escape(era["title"])},
        }
        for era in bands
    ]
    yield '],"eras":' + orjson.dumps(shown).decode() + "}"


def timeline(
    events: Iterable[dict[str, Any]],
    eras: Iterable[dict[str, Any]],
    lang: Language,
    grouping: Grouping = "era",
    period: str | None = None,
) -> Iterator[str]:
    """The TimelineJS document as JSON text in pieces: a title slide, one slide per event
    (`events` in full, as `EventRead` dicts, consumed as the pieces are sent) in the row
    `grouping` names, operations (`eras`, list items, read first, once the response is
    streamed) as eras. When no event matched, one slide says so, at the start of the
    `period` asked for (a partial ISO date) if any."""
    return pieces(_document(events, eras, lang, grouping, period))
