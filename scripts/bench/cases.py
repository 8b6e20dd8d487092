"""The request types: how to ask this API and Datasette, with URLs from the loaded data."""

import base64
import json
import random
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from scripts.generate import LEXICON

VARIED_URLS = 400


@dataclass(frozen=True)
class Case:
    """One request type: how to ask this API and Datasette, one URL or many."""

    name: str
    ours: Callable[[int], str]
    datasette: Callable[[int], str] | None


def _cursor(earliest: str, event_id: str) -> str:
    raw = json.dumps(["date", earliest, event_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cases(database: Path, events: int) -> list[Case]:
    """The request types, with URLs drawn from what the database holds."""
    with sqlite3.connect(database) as db:
        middle = db.execute(
            "SELECT earliest_date, id FROM event ORDER BY earliest_date, id LIMIT ? OFFSET ?",
            (VARIED_URLS, events // 2),
        ).fetchall()
        types = [row[0] for row in db.execute("SELECT DISTINCT type FROM event ORDER BY 1")]
        actors = [row[0] for row in db.execute("SELECT id FROM actor ORDER BY id")]
    rng = random.Random(1)
    years = list(range(1990, 2026))
    words = rng.sample(LEXICON, min(VARIED_URLS, len(LEXICON)))
    picks = [
        (rng.choice(types), rng.choice(years), rng.choice(actors), f"event-{rng.randrange(events)}")
        for _ in range(VARIED_URLS)
    ]
    by_actor = (
        "select event.* from event join event_actor on event_actor.event_id = event.id"
        " where event_actor.actor_id = :actor order by event.earliest_date, event.id limit 50"
    )

    def year_range(year: int) -> str:
        return f"earliest_date__gte={year}-01-01&earliest_date__lte={year}-12-31"

    # The counts both sides give for one type, year or actor: the values of four columns,
    # varied by language on our side and by how many values are shown on Datasette's.
    def ours_facets(i: int) -> str:
        facets = "facet=type&facet=country&facet=importance&facet=disputed"
        return f"{facets}&lang={('en', 'nl', 'fr')[i // 7 % 3]}"

    def their_facets(i: int) -> str:
        facets = "_facet=type&_facet=country&_facet=importance&_facet=disputed&_size=0"
        return f"{facets}&_facet_size={8 + i // 7 % 3}"

    def involving(actor: str) -> str:
        return f"id in (select event_id from event_actor where actor_id = '{actor}')"

    return [
        Case(
            "first page",
            lambda i: f"/events?limit={50 + i % 7}&lang={('en', 'nl', 'fr')[i % 3]}",
            lambda i: f"/db/event.json?_sort=earliest_date&_size={50 + i % 7}",
        ),
        Case(
            "type + year",
            lambda i: f"/events?type={picks[i][0]}&from={picks[i][1]}&to={picks[i][1]}",
            lambda i: (
                f"/db/event.json?type={picks[i][0]}&{year_range(picks[i][1])}"
                "&_sort=earliest_date&_size=50"
            ),
        ),
        Case(
            "by actor",
            lambda i: f"/events?actor={picks[i][2]}",
            lambda i: f"/db.json?sql={quote(by_actor)}&actor={picks[i][2]}",
        ),
        Case(
            "text search",
            lambda i: f"/events?q={words[i % len(words)]}",
            lambda i: (
                f"/db/event.json?_search={words[i % len(words)]}&_sort=earliest_date&_size=50"
            ),
        ),
        Case(
            "deep page",
            lambda i: f"/events?cursor={_cursor(*middle[i % len(middle)])}",
            lambda i: (
                "/db/event.json?_sort=earliest_date&_size=50&_next="
                + quote(f"{middle[i % len(middle)][0]},{middle[i % len(middle)][1]}")
            ),
        ),
        # Release 1 after a second release corrected 1% of the titles (`benchmark.py`): the
        # current tables' rows plus the overlay of those changed.
        Case(
            "pinned release, first page",
            lambda i: f"/events?release=1&limit={50 + i % 7}&lang={('en', 'nl', 'fr')[i % 3]}",
            None,
        ),
        Case(
            "pinned release, deep page",
            lambda i: f"/events?release=1&cursor={_cursor(*middle[i % len(middle)])}",
            None,
        ),
        Case(
            "one event",
            lambda i: f"/events/{picks[i][3]}",
            lambda i: f"/db/event/{picks[i][3]}.json",
        ),
        Case(
            "timeline, one year",
            lambda i: f"/timeline?from={years[i % len(years)]}&to={years[i % len(years)]}",
            None,
        ),
        Case(
            "facets, type + year",
            lambda i: (
                f"/events/facets?type={picks[i][0]}&from={picks[i][1]}&to={picks[i][1]}"
                "&facet=country&facet=importance&facet=disputed"
            ),
            lambda i: (
                f"/db/event.json?type={picks[i][0]}&{year_range(picks[i][1])}"
                "&_facet=country&_facet=importance&_facet=disputed&_size=0"
            ),
        ),
        Case(
            "facets, one type",
            lambda i: f"/events/facets?type={picks[i][0]}&{ours_facets(i)}",
            lambda i: f"/db/event.json?type={picks[i][0]}&{their_facets(i)}",
        ),
        Case(
            "facets, one year",
            lambda i: f"/events/facets?from={years[i % 36]}&to={years[i % 36]}&{ours_facets(i)}",
            lambda i: f"/db/event.json?{year_range(years[i % 36])}&{their_facets(i)}",
        ),
        Case(
            "facets, one actor",
            lambda i: f"/events/facets?actor={picks[i][2]}&{ours_facets(i)}",
            lambda i: f"/db/event.json?_where={quote(involving(picks[i][2]))}&{their_facets(i)}",
        ),
        Case(
            "CSV, one year",
            lambda i: f"/events.csv?from={years[i % len(years)]}&to={years[i % len(years)]}",
            lambda i: (
                f"/db/event.csv?{year_range(years[i % len(years)])}&_sort=earliest_date&_stream=on"
            ),
        ),
    ]
