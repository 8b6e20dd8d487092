"""Plain factories for data-file records, so each test states only what it is about."""

import json
from pathlib import Path
from typing import Any

Record = dict[str, Any]


def localized(text: str) -> Record:
    """The same text in every language, tagged so tests can tell which was served."""
    return {"en": f"{text} (en)", "nl": f"{text} (nl)", "fr": f"{text} (fr)"}


def citation(source: str = "test-source", quote: str = "A sentence that says so.") -> Record:
    """A citation of the test source."""
    return {"source": source, "quote": quote}


def make_source(**overrides: Any) -> Record:
    """A source record."""
    return {"id": "test-source", "publisher": "Test Gazette", "language": "en", **overrides}


def make_actor(**overrides: Any) -> Record:
    """An actor record."""
    actor_id = overrides.get("id", "test-actor")
    return {
        "id": actor_id,
        "kind": "state",
        "name": localized(f"Actor {actor_id}"),
        "description": localized("An actor for tests"),
        "citations": [citation()],
        **overrides,
    }


def make_event(**overrides: Any) -> Record:
    """An event record."""
    event_id = overrides.get("id", "test-event")
    return {
        "id": event_id,
        "type": "announcement",
        "title": localized(f"Event {event_id}"),
        "summary": localized("Something happened"),
        "start": "2021-05-24",
        "importance": 2,
        "actors": [{"actor": "test-actor", "role": "initiator"}],
        "citations": [citation()],
        **overrides,
    }


def make_figure(**overrides: Any) -> Record:
    """A valid figure: 600 soldiers deployed, cited."""
    return {
        "measure": "troops_deployed",
        "value": 600,
        "qualifier": "about",
        "unit": "soldiers",
        "description": {"en": "Troops", "nl": "Troepen", "fr": "Troupes"},
        "citations": [citation()],
        **overrides,
    }


def write_data(path: Path, **collections: list[Record]) -> Path:
    """Write a data file with the given collections and return its path."""
    path.write_text(json.dumps(collections, ensure_ascii=False), encoding="utf-8")
    return path
