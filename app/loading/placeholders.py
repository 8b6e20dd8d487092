"""Placeholder text: what stands in for a text still to be written ("…", "TODO", "TBD: nl").

One rule for `load`, which refuses such records, and `check`, which reports them.
"""

import re
from collections.abc import Iterator
from typing import Any

from app.loading.table_rows import Citations, Prepared

# Nothing but punctuation ("…", "-", "?"), a placeholder word, or a text that begins "TODO".
_PLACEHOLDER = re.compile(
    r"[\W_]*|\s*(?:tba|xxx|placeholder|n/a)\W*|\s*(?:todo|tbd|fixme|lorem ipsum)\b.*",
    re.IGNORECASE | re.DOTALL,
)
_LANGUAGES = ("en", "nl", "fr")


def placeholder(text: str) -> bool:
    """Whether `text` stands in for a text still to be written: "…", "TODO", "TBD: nl"."""
    return _PLACEHOLDER.fullmatch(text) is not None


def _texts(prefix: str, columns: dict[str, Any], *fields: str) -> Iterator[tuple[str, str | None]]:
    for name in fields:
        for language in _LANGUAGES:
            yield f"{prefix}{name}.{language}", columns[f"{name}_{language}"]


def _quotes(prefix: str, citations: Citations) -> Iterator[tuple[str, str]]:
    for i, (_source, quote) in enumerate(citations):
        yield f"{prefix}citations[{i}].quote", quote


def _record_texts(record: Prepared) -> Iterator[tuple[str, str | None]]:
    """(field, text) for every text of a record an editor writes by hand (None if left out)."""
    columns, parts = record.columns, record.parts
    if record.collection == "sources":
        yield "title", columns["title"]
    elif record.collection == "actors":
        yield from _texts("", columns, "name", "description")
        yield from _quotes("", parts["citations"])
        for i, relation in enumerate(parts["relations"]):
            yield from _quotes(f"relations[{i}].", relation["citations"])
    else:
        yield from _texts("", columns, "title", "summary")
        yield from _quotes("", parts["citations"])
        for i, figure in enumerate(parts["figures"]):
            prefix = f"figures[{i}]."
            yield f"{prefix}unit", figure["columns"]["unit"]
            yield from _texts(prefix, figure["columns"], "description")
            yield from _quotes(prefix, figure["citations"])
            for j, dispute in enumerate(figure["disputes"]):
                yield from _quotes(f"{prefix}disputes[{j}].", dispute["citations"])
        for i, dispute in enumerate(parts["disputes"]):
            yield from _quotes(f"disputes[{i}].", dispute["citations"])


def found(record: Prepared) -> list[str]:
    """A problem line for each placeholder among the record's texts, named as `load` names
    fields: `file: events[3] 'id': title.nl: placeholder text '…'`."""
    return [
        f"{record.name}: {where}: placeholder text {text!r}"
        for where, text in _record_texts(record)
        if text is not None and placeholder(text)
    ]
