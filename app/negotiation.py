"""Content negotiation: the one place that picks a response's representation and language.

A route offers media types in order of preference; `negotiate` returns the one the
client's `Accept` header likes best, or raises a 406 listing what is on offer. Suffix
routes (`/events.csv`) skip the header and ask for one type directly. `choose_language`
picks the language from `?lang=` or `Accept-Language`.
"""

from collections.abc import Sequence
from enum import StrEnum
from http import HTTPStatus
from typing import Any

from fastapi import Request

from app.errors import ProblemError
from app.vocabulary import DEFAULT_LANGUAGE, Language


class MediaType(StrEnum):
    """Every representation the API can send."""

    JSON = "application/json"
    GEOJSON = "application/geo+json"
    CSV = "text/csv"
    JSONLD = "application/ld+json"
    HTML = "text/html"
    ATOM = "application/atom+xml"


class NotAcceptable(ProblemError):
    """The client accepts none of the representations on offer."""

    status = HTTPStatus.NOT_ACCEPTABLE


def _ranges(header: str) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their weights; malformed ones are skipped."""
    ranges = []
    for part in header.split(","):
        media_range, *params = (piece.strip() for piece in part.split(";"))
        if "/" not in media_range:
            continue
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    weight = 0.0
        ranges.append((media_range.lower(), weight))
    return ranges


def _weight(offered: str, ranges: list[tuple[str, float]]) -> float:
    """How much the client wants `offered`: the weight of the most specific matching range."""
    kind = offered.split("/")[0]
    best: tuple[int, float] | None = None
    for media_range, weight in ranges:
        if media_range == offered:
            specificity = 3
        elif media_range == f"{kind}/*":
            specificity = 2
        elif media_range == "*/*":
            specificity = 1
        else:
            continue
        if best is None or specificity > best[0]:
            best = (specificity, weight)
    return best[1] if best else 0.0


def negotiate(request: Request, offered: Sequence[MediaType]) -> MediaType:
    """The offered type the client prefers; ties go to the route's order of preference."""
    header = request.headers.get("accept", "").strip()
    if not header:
        return offered[0]
    ranges = _ranges(header)
    scored = [(_weight(media_type, ranges), -index) for index, media_type in enumerate(offered)]
    weight, negative_index = max(scored)
    if weight <= 0:
        supported = ", ".join(offered)
        raise NotAcceptable(f"cannot send any type in Accept: {header!r}; supported: {supported}")
    return offered[-negative_index]


def documented(offered: Sequence[MediaType], schemas: dict[MediaType, Any]) -> dict[str, Any]:
    """The OpenAPI `content` of a 200 response for each offered type."""
    # JSON's schema is left out: FastAPI fills it in from the route's response_model.
    return {
        media_type.value: {"schema": schemas[media_type]} if schemas.get(media_type) else {}
        for media_type in offered
    }


def choose_language(request: Request, lang: Language | None) -> Language:
    """`?lang=` if given, else the best `Accept-Language` match, else English."""
    return lang or _from_accept_language(request.headers.get("accept-language", ""))


def _from_accept_language(header: str) -> Language:
    ranked: list[tuple[float, int, Language]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        primary = tag.strip().split("-")[0].lower()
        if primary in Language.__members__.values() and weight > 0:
            ranked.append((-weight, position, Language(primary)))
    return min(ranked)[2] if ranked else DEFAULT_LANGUAGE
