"""Event dates in EDTF level 1 (ISO 8601-2): uncertain, approximate, unspecified, seasons, open.

The `edtf` package parses; this module keeps what the API needs from it: the first and
last day a date can mean (what filters and order compare), the parts that are known, and
the qualifiers. Level 0 dates (`2013`, `2020-03`, `2021-05-24`) are valid level 1 dates,
so data written before stays valid. An event's `end` may also be `..` (open: still going)
or the empty string (unknown), both of which reach to the last day the API knows.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Annotated

import edtf
from pydantic import AfterValidator, Field

from app import dates
from app.dates import Precision

OPEN = ".."
UNKNOWN = ""
FAR_PAST = "0001-01-01"
FAR_FUTURE = "9999-12-31"
SEASONS = (21, 22, 23, 24)  # spring, summer, autumn, winter: level 1 has no others

# The grammar this module accepts, for its error messages and the JSON Schema; the parser
# decides validity, this only names what is wrong when it refuses.
_SHAPE = re.compile(
    r"(?P<year>\d{4}|\d{3}X|\d{2}XX)(?:-(?P<month>\d{2}|XX)(?:-(?P<day>\d{2}|XX))?)?(?P<q>[?~%])?"
)
_PLAIN = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-\d{2})?)?")
_CACHE = 1 << 16  # a few thousand distinct dates recur over millions of records


@dataclass(frozen=True)
class EventDate:
    """An EDTF date as the API uses it: bounds, known parts, qualifiers."""

    text: str
    earliest: str
    latest: str
    year: int | None
    month: int | None
    day: int | None
    season: int | None
    decade: bool
    uncertain: bool
    approximate: bool

    @property
    def plain(self) -> bool:
        """Whether the date is plain ISO 8601 (EDTF level 0): no qualifier, X or season."""
        return "X" not in self.text and self.season is None and self.text[-1] not in "?~%"

    @property
    def precision(self) -> Precision:
        """How much of the date is known (a season counts as its year)."""
        if self.day is not None:
            return Precision.DAY
        return Precision.MONTH if self.month is not None else Precision.YEAR


def _problem(value: str) -> str | None:
    """What is wrong with `value` as an EDTF level 1 date, or None if its shape is right."""
    match = _SHAPE.fullmatch(value)
    if match is None:
        return (
            f"{value!r} is not an EDTF level 1 date: write YYYY[-MM[-DD]], optionally ending "
            "in ? (uncertain), ~ (approximate) or % (both), with X for unknown digits "
            "(201X, 2021-XX, 2021-05-XX), or a season YYYY-21..24"
        )
    year, month, day = match["year"], match["month"], match["day"]
    if year == "0000":
        return f"{value}: year 0000 does not exist"
    if month and month != "XX" and int(month) not in (*range(1, 13), *SEASONS):
        return f"{value}: month {int(month)} does not exist"
    if month and month != "XX" and int(month) in SEASONS and (day or match["q"] or "X" in year):
        return f"{value}: a season ({month}) takes a plain year, no day and no qualifier"
    if month == "XX" and day and day != "XX":
        return f"{value}: a day is given in an unknown month"
    if "X" in year and month:
        return f"{value}: a month is given in a year with unknown digits"
    if day and day != "XX" and month and month != "XX":
        last = calendar.monthrange(int(year), int(month))[1]
        if not 1 <= int(day) <= last:
            return f"{value}: day {int(day)} does not exist in {year}-{month}"
    return None


def _bounds(value: str, season: int | None) -> tuple[date, date]:
    """First and last day of a valid `value`. Plain ISO dates, nearly all of them, take the
    level 0 path: the EDTF parser takes tens of milliseconds per date, a minute per few
    thousand distinct dates in a load."""
    if _PLAIN.fullmatch(value):
        first, last = dates.bounds(value)
        return date.fromisoformat(first), date.fromisoformat(last)
    try:
        parsed = edtf.parse_edtf(value)
    except edtf.EDTFParseException:
        raise ValueError(f"{value!r} is not an EDTF level 1 date") from None
    low = date(*parsed.lower_strict()[:3])
    if season == 24:  # winter runs into the next year; the parser stops at 31 December
        return low, date(low.year + 1, 2, calendar.monthrange(low.year + 1, 2)[1])
    return low, date(*parsed.upper_strict()[:3])


@lru_cache(maxsize=_CACHE)
def parse(value: str) -> EventDate:
    """The date `value` writes; `ValueError` says what is wrong with it."""
    match, problem = _SHAPE.fullmatch(value), _problem(value)
    if match is None or problem is not None:
        raise ValueError(problem)
    month = match["month"]
    season = int(month) if month and month != "XX" and int(month) in SEASONS else None
    low, high = _bounds(value, season)
    qualifier = match["q"] or ""

    def known(part: str | None) -> int | None:
        return int(part) if part and "X" not in part and season is None else None

    return EventDate(
        text=value,
        earliest=low.isoformat(),
        latest=high.isoformat(),
        year=None if "X" in match["year"] else int(match["year"]),
        month=known(match["month"]),
        day=known(match["day"]) if known(match["month"]) else None,
        season=season,
        decade=match["year"].endswith("X") and not match["year"].endswith("XX"),
        uncertain=qualifier in {"?", "%"},
        approximate=qualifier in {"~", "%"},
    )


def bounds(start: str, end: str | None = None) -> tuple[str, str]:
    """The first and last day an event from `start` to `end` (None: a point) can mean."""
    first = parse(start)
    if end is None:
        return first.earliest, first.latest
    if end in {OPEN, UNKNOWN}:
        return first.earliest, FAR_FUTURE
    return first.earliest, parse(end).latest


def is_qualified(value: str | None, *qualifiers: str) -> bool:
    """Whether `value` ends in one of `qualifiers`, as the SQL in `event_json` tests it."""
    return value is not None and value[-1:] in qualifiers


def _validate_start(value: str) -> str:
    parse(value)
    return value


def _validate_end(value: str) -> str:
    if value not in {OPEN, UNKNOWN}:
        parse(value)
    return value


_EXAMPLES = ["2021-05-24", "2021-05-24?", "2013-01~", "201X", "2021-05-XX", "2013-21"]
_PATTERN = r"^(\d{4}|\d{3}X|\d{2}XX)(-(\d{2}|XX)(-(\d{2}|XX))?)?[?~%]?$"

EventStart = Annotated[
    str,
    Field(
        description="An EDTF level 1 date: YYYY[-MM[-DD]], optionally ending in ? "
        "(uncertain), ~ (approximate) or % (both); X for unknown digits; seasons YYYY-21..24.",
        examples=_EXAMPLES,
        max_length=40,
        json_schema_extra={"pattern": _PATTERN},
    ),
    AfterValidator(_validate_start),
]
EventEnd = Annotated[
    str,
    Field(
        description="As `start`, or `..` (open: still going) or an empty string (unknown).",
        examples=["2022-08-15", "..", ""],
        max_length=40,
        json_schema_extra={"pattern": rf"{_PATTERN}|^(\.\.)?$"},
    ),
    AfterValidator(_validate_end),
]
