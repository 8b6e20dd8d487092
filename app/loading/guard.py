"""What replacing a stored record would lose: an edit that drops an event's actors,
citations, figures, disputes or tags (say, a new event given an id already in use) is
refused unless the editor asks for the replacement."""

from collections import Counter
from typing import Any

HINT = "nothing was replaced; to replace these records anyway, load with --replace"


def _items(content: dict[str, Any], key: str, part: str) -> Counter[str]:
    return Counter(str(item[part]) for item in content.get(key, []))


def _missing(before: Counter[str], after: Counter[str]) -> str:
    return ", ".join(
        f"`{item}`" + (f" ×{n}" if n > 1 else "") for item, n in (before - after).items()
    )


def _figures(content: dict[str, Any]) -> Counter[str]:
    return Counter(
        f"{figure['measure']}" + (f" as of {figure['as_of']}" if figure.get("as_of") else "")
        for figure in content.get("figures", [])
    )


def lost(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What `after` lacks of `before`, in words: actors (by id), citations (by source),
    figures (by measure and date), disputes (by number) and tags. A quote reworded or a
    value corrected loses nothing."""
    losses = []
    kept = {
        "actors": (_items(before, "actors", "actor"), _items(after, "actors", "actor")),
        "citations of": (
            _items(before, "citations", "source"),
            _items(after, "citations", "source"),
        ),
        "figures": (_figures(before), _figures(after)),
        "tags": (Counter(before.get("tags", [])), Counter(after.get("tags", []))),
    }
    for what, (old, new) in kept.items():
        if missing := _missing(old, new):
            losses.append(f"{what} {missing}")
    disputes = len(before.get("disputes", [])) - len(after.get("disputes", []))
    if disputes > 0:
        losses.append(f"{disputes} of {len(before['disputes'])} disputes")
    return losses


def refusal(name: str, before: dict[str, Any], after: dict[str, Any]) -> str | None:
    """The problem line for replacing `before` by `after`, or None when nothing is lost."""
    losses = lost(before, after)
    return f"{name}: replacing the stored record would lose {'; '.join(losses)}" if losses else None
