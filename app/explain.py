"""Parameter validation errors in words a client can act on.

Pydantic speaks of regexes and enum literals; a client needs the format in words with an
example, the value it sent (once), the nearest valid value, and how to send several.
"""

import difflib
import re
from typing import Any

from app.countries import code_named
from app.schemas.common import COUNTRY_PATTERN, SLUG_PATTERN

# A pattern's meaning in words; no message shows the regex itself.
FORMATS = {
    SLUG_PATTERN: "an id of lower-case letters, digits and hyphens, such as mali-coup-2021",
    COUNTRY_PATTERN: "an ISO 3166-1 alpha-2 code such as ML",
}
# Paging as other APIs spell it, and how this one pages instead.
PAGING = {
    "page": "pages are not numbered: follow `next`, the URL of the next page (its `cursor`)",
    "offset": "there are no offsets: follow `next`, the URL of the next page (its `cursor`)",
    "per_page": "the page size is `limit`",
    "page_size": "the page size is `limit`",
    "size": "the page size is `limit`",
}
_QUOTED = re.compile(r"'([^']*)'")


def plain(message: str) -> str:
    """A Pydantic message without the prefix it gives the errors of our own validators."""
    return message.removeprefix("Value error, ")


def suggestion(value: str, candidates: list[str]) -> str:
    """`; did you mean `x`?` for the candidate nearest `value`, or nothing."""
    wanted = value.lower()
    near = difflib.get_close_matches(wanted, candidates, n=1, cutoff=0.6)
    if not near and len(wanted) >= 3:  # `macron` for `emmanuel-macron`
        near = sorted((c for c in candidates if wanted in c), key=len)[:1]
    return f"; did you mean `{near[0]}`?" if near else ""


def _repeat_hint(name: str, value: str) -> str:
    parts = [part.strip() for part in value.split(",") if part.strip()][:2] or ["a", "b"]
    example = "&".join(f"{name}={part}" for part in parts)
    return f"{value!r}: give one value per `{name}` and repeat the parameter, as in {example}"


def _pattern(value: str, pattern: str) -> str:
    words = FORMATS.get(pattern, "in the expected format")
    message = f"{value!r} is not {words}"
    if pattern == COUNTRY_PATTERN and (code := code_named(value)):
        return f"{message}; did you mean `{code}`?"
    for fixed in (value.upper(), re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")):
        if fixed != value and re.fullmatch(pattern, fixed):
            return f"{message}; did you mean `{fixed}`?"
    return message


def _enum(name: str, value: str, expected: str) -> str:
    choices = _QUOTED.findall(expected)
    if hint := suggestion(value, choices):
        return f"{value!r} is not a known {name}{hint}"
    return f"{value!r} is not a known {name}: one of {', '.join(choices)}"


def message(error: dict[str, Any], name: str) -> str:
    """What was wrong with parameter `name`, from one Pydantic error, in words."""
    kind, value, context = error["type"], error.get("input"), error.get("ctx", {})
    repeatable = any(isinstance(part, int) for part in error["loc"])  # `type.0`: a list item
    if kind == "extra_forbidden":
        return f"unknown parameter; {PAGING[name]}" if name in PAGING else "unknown parameter"
    if repeatable and isinstance(value, str) and "," in value:
        return _repeat_hint(name, value)
    if kind == "string_pattern_mismatch" and isinstance(value, str):
        return _pattern(value, context["pattern"])
    if kind == "enum" and isinstance(value, str):
        return _enum(name, value, context["expected"])
    text = plain(str(error["msg"]))
    if isinstance(value, str | int | float) and repr(value) not in text:
        text = f"{text} (got {value!r})"
    return text
