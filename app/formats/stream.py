"""Pieces of a streamed body: many small strings sent as few large ones.

Starlette sends each piece a synchronous iterator yields through a worker thread; a row or
a feature per piece would cost a thread hop each.
"""

from collections.abc import Iterable, Iterator

PIECE = 64 * 1024  # characters


def pieces(parts: Iterable[str]) -> Iterator[str]:
    """`parts` joined into pieces of at least `PIECE` characters (the last may be shorter)."""
    held: list[str] = []
    size = 0
    for part in parts:
        held.append(part)
        size += len(part)
        if size >= PIECE:
            yield "".join(held)
            held.clear()
            size = 0
    if held:
        yield "".join(held)
