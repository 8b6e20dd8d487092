"""Checks of one value at a time: dates more precise than their quotes.

The date check is a heuristic in English, Dutch and French: it looks for the words a quote
would use to pin a day or a month, so it can only warn.
"""

import re
from functools import lru_cache

from app import edtf_dates
from app.edtf_dates import OPEN, UNKNOWN

# Alternatives of a regular expression, in English, Dutch and French.
_WEEKDAYS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    "maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|"
    "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
)
# Words that place an event on a day counted from the day the source was written.
_RELATIVE_DAYS = (
    "today|tonight|yesterday|tomorrow|this (?:morning|afternoon|evening)|last night|"
    "vandaag|gisteren|eergisteren|morgen|van(?:ochtend|morgen|middag|avond|nacht)|"
    "aujourd['’]hui|avant-hier|hier|demain|ce (?:matin|soir)|cet après-midi|cette nuit|"
    "la veille|le lendemain"
)
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|"
    "januari|februari|maart|mei|juni|juli|augustus|oktober|"
    "janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|novembre|"
    "d[ée]cembre"
)
_RELATIVE_MONTHS = (
    "(?:this|last|next) month|(?:deze|vorige|volgende) maand|"
    "ce mois(?:-ci)?|le mois (?:dernier|prochain)"
)


def _words(alternatives: str) -> re.Pattern[str]:
    """Any of the alternatives as whole words, in lower-case text (faster than IGNORECASE)."""
    return re.compile(rf"\b(?:{alternatives})\b")


_DAY_WORDS = _words(f"{_WEEKDAYS}|{_RELATIVE_DAYS}")
_MONTH_WORDS = _words(f"{_MONTHS}|{_RELATIVE_MONTHS}")


@lru_cache(maxsize=31)
def _day_number(day: int) -> re.Pattern[str]:
    """The day of the month as a quote writes it: 3, 03, 3rd, 1er, 1e, 3de."""
    return re.compile(rf"(?<![\d.,])0?{day}(?:st|nd|rd|th|er|e|ste|de|ème)?(?![\d,]\d)(?!\w)")


def too_precise(value: str, quotes: list[str]) -> str | None:
    """Why `quotes` cannot support a date as precise as `value`, or None when they can.

    A day is supported by a quote naming its day number, a weekday or a relative day
    ("today", "gisteren", "hier"); a month by a quote naming a month, a weekday or a
    relative day or month. A year needs nothing: the check cannot tell a year in a quote
    from any other number. A source published that day or month may support it still
    (`published_within`).
    """
    if value in {OPEN, UNKNOWN}:
        return None
    parsed = edtf_dates.parse(value)
    month, day = parsed.month, parsed.day
    if month is None:
        return None
    for quote in map(str.lower, quotes):
        if _DAY_WORDS.search(quote):
            return None
        if day is not None and _day_number(day).search(quote):
            return None
        if day is None and _MONTH_WORDS.search(quote):
            return None
    if day is not None:
        return (
            f"{value} is precise to the day, but no quote names day {day}, a weekday or a "
            "relative day, and no cited source was published that day"
        )
    return (
        f"{value} is precise to the month, but no quote names a month, a weekday or a relative "
        "day, and no cited source was published that month"
    )


def published_within(value: str, published: str | None) -> bool:
    """Whether a source published on `published` falls on the day or in the month `value`."""
    written = value.rstrip("?~%")  # an uncertain or approximate day is still that day
    return published is not None and (published == written or published[:7] == written)
