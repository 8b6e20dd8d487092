"""Synthetic data at scale, in the project's own data format, so it goes through `load`.

Deterministic for a given --seed: N events over decades at mixed date precision, each with
1-4 actors in roles, a type, a place with coordinates, tags, en/nl/fr text and a cited source
with a quote; a few thousand actors; sources. Events are written as they are made, so memory
does not grow with N.

    .venv/bin/python scripts/generate.py --events 100000 --out /tmp/synthetic
    sahel-timeline load /tmp/synthetic/*.json
"""

import argparse
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.vocabulary import ActorKind, EventType, Role

PLACES = [
    ("Bamako", "ML", 12.639, -8.003),
    ("Gao", "ML", 16.267, -0.040),
    ("Kati", "ML", 12.744, -8.072),
    ("Ménaka", "ML", 15.918, 2.402),
    ("Niamey", "NE", 13.512, 2.113),
    ("Ouagadougou", "BF", 12.371, -1.520),
    ("N'Djamena", "TD", 12.135, 15.056),
    ("Nouakchott", "MR", 18.074, -15.958),
]
WORDS = (
    "convoy patrol border attack talks ceasefire village market road base river drought "
    "election protest militia army mission aid camp bridge airport harvest"
).split()
# Rarer words, like the names of people, villages and units in real reports: a search for
# one matches a few hundred events in a million, not half of them.
SYLLABLES = "ba ko ma di sa te gu lo ni ka re zo fa mu ye".split()
LEXICON = [a + b + c for a in SYLLABLES for b in SYLLABLES for c in SYLLABLES]


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def _localized(rng: random.Random, words: int, rare: int = 0) -> dict[str, str]:
    text = " ".join([_text(rng, words), *(rng.choice(LEXICON) for _ in range(rare))])
    return {"en": text, "nl": f"{text} (nl)", "fr": f"{text} (fr)"}


def _date(rng: random.Random) -> str:
    year = rng.randint(1990, 2025)
    precision = rng.random()
    if precision < 0.1:
        return f"{year}"
    month = rng.randint(1, 12)
    if precision < 0.3:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{rng.randint(1, 28):02d}"


def sources(count: int) -> list[dict[str, Any]]:
    """Cited publications."""
    return [
        {"id": f"source-{n}", "publisher": f"Publisher {n % 50}", "language": "en"}
        for n in range(count)
    ]


def actors(rng: random.Random, count: int, source_count: int) -> list[dict[str, Any]]:
    """Actors of every kind, each with a citation."""
    kinds = list(ActorKind)
    return [
        {
            "id": f"actor-{n}",
            "kind": kinds[n % len(kinds)].value,
            "name": _localized(rng, 2),
            "description": _localized(rng, 8),
            "country": rng.choice(PLACES)[1],
            "citations": [
                {"source": f"source-{rng.randrange(source_count)}", "quote": _text(rng, 12)}
            ],
        }
        for n in range(count)
    ]


def events(
    rng: random.Random, count: int, actor_count: int, source_count: int, corrected: int = 0
) -> Iterator[dict[str, Any]]:
    """Events, one at a time; with `corrected`, every `corrected`-th has its English title
    corrected (a second release of the same data)."""
    types = list(EventType)
    roles = list(Role)
    for n in range(count):
        place, country, latitude, longitude = rng.choice(PLACES)
        start = _date(rng)
        chosen = rng.sample(range(actor_count), rng.randint(1, 4))
        title = _localized(rng, 5)
        if corrected and n % corrected == 0:
            title["en"] += " (corrected)"
        yield {
            "id": f"event-{n}",
            "type": rng.choice(types).value,
            "title": title,
            "summary": _localized(rng, 20, rare=2),
            "start": start,
            "location": {
                "place": place,
                "country": country,
                "latitude": latitude,
                "longitude": longitude,
            },
            "tags": sorted({rng.choice(WORDS) for _ in range(2)}),
            "importance": rng.randint(1, 3),
            "actors": [
                {"actor": f"actor-{a}", "role": roles[i % len(roles)].value}
                for i, a in enumerate(chosen)
            ],
            "citations": [
                {"source": f"source-{rng.randrange(source_count)}", "quote": _text(rng, 15)}
            ],
        }


def write(directory: Path, event_count: int, seed: int, corrected: int = 0) -> list[Path]:
    """Write sources.json, actors.json and events.json into `directory` (`events`)."""
    rng = random.Random(seed)
    actor_count = max(10, min(5000, event_count // 20))
    source_count = max(5, min(2000, event_count // 50))
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "sources.json").write_text(json.dumps({"sources": sources(source_count)}))
    (directory / "actors.json").write_text(
        json.dumps({"actors": actors(rng, actor_count, source_count)})
    )
    with (directory / "events.json").open("w", encoding="utf-8") as out:
        out.write('{"events": [')
        made = events(rng, event_count, actor_count, source_count, corrected)
        for n, event in enumerate(made):
            out.write(("," if n else "") + json.dumps(event, ensure_ascii=False))
        out.write("]}")
    return [directory / name for name in ("sources.json", "actors.json", "events.json")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--corrected", type=int, default=0, help="correct the title of every Nth event"
    )
    args = parser.parse_args()
    for path in write(args.out, args.events, args.seed, args.corrected):
        print(path)


if __name__ == "__main__":
    main()
