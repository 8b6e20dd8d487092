"""Dates at their known precision: a year (`2013`), a month (`2020-03`) or a day.

A partial date stands for a whole period; `bounds` gives its first and last day, which is
what filters compare, so `to=2021-06` includes 30 June.
"""

import calendar
import re
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import Annotated

from pydantic import AfterValidator, Field

_PATTERN = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?")


class Precision(StrEnum):
    """How much of a date is known."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"


# Data sets repeat a few thousand dates over millions of records, and `load` parses each
# date several times: cached, those cost a dictionary lookup. The caches wrap the functions
# rather than decorate them, so that the mutation run (docs/mutation.md) reaches them.
_CACHE = 1 << 16


def _parse(value: str) -> tuple[int, int | None, int | None]:
    """Split a partial ISO date into year, month and day; `ValueError` says why it is not one."""
    match = _PATTERN.fullmatch(value)
    if match is None:
        raise ValueError(f"{value!r} is not a date: YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2021-05")
    year = int(match["year"])
    month = int(match["month"]) if match["month"] else None
    day = int(match["day"]) if match["day"] else None
    if year < 1:
        raise ValueError(f"{value!r}: year 0000 does not exist")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"{value!r}: month {month} is not between 01 and 12")
    if month is not None and day is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise ValueError(f"{value!r}: day {day} does not exist in {year}-{month:02d}")
    return year, month, day


parse = lru_cache(maxsize=_CACHE)(_parse)


def _bounds(value: str) -> tuple[str, str]:
    """The first and last day (ISO) that a partial date can mean."""
    year, month, day = parse(value)
    if day is not None and month is not None:
        iso = date(year, month, day).isoformat()
        return iso, iso
    if month is not None:
        last = calendar.monthrange(year, month)[1]
        return date(year, month, 1).isoformat(), date(year, month, last).isoformat()
    return date(year, 1, 1).isoformat(), date(year, 12, 31).isoformat()


bounds = lru_cache(maxsize=_CACHE)(_bounds)


def _validate(value: str) -> str:
    parse(value)
    return value


PartialDate = Annotated[
    str,
    Field(
        description="An ISO 8601 date at its known precision: YYYY, YYYY-MM or YYYY-MM-DD.",
        examples=["2021-05-24", "2020-03", "2013"],
        # Describes everything but day 29-31 in months too short for it, which `parse` rejects.
        json_schema_extra={
            "pattern": r"^(?!0000)\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
        },
    ),
    AfterValidator(_validate),
]
