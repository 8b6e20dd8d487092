"""Text folding for search: case- and accent-insensitive, the same on every backend."""

import sys
import unicodedata
from functools import cache


@cache
def _combining() -> dict[int, None]:
    """Every combining mark, to delete in one `str.translate` (C speed: `load` folds millions)."""
    return dict.fromkeys(c for c in range(sys.maxunicode + 1) if unicodedata.combining(chr(c)))


def fold(text: str) -> str:
    """Lower-case `text` and drop accents, so `goita` finds Goïta and `etat` finds État.

    White space is left as it is: the search indexes split words themselves.
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).translate(_combining())
    return text.casefold()
