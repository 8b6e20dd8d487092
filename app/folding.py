"""Text folding for search: case- and accent-insensitive, the same on every backend."""

import sys
import unicodedata
from functools import cache, lru_cache


@cache
def _combining() -> dict[int, None]:
    """Every combining mark, to delete in one `str.translate`."""
    return dict.fromkeys(c for c in range(sys.maxunicode + 1) if unicodedata.combining(chr(c)))


def _fold_one(word: str) -> str:
    return unicodedata.normalize("NFKD", word).translate(_combining()).casefold()


# Enough for the common words of a large corpus; at most a few MB in the server, where
# search words reach it from queries (200 characters at most). Wrapped, not decorated, so
# that the mutation run (docs/mutation.md) reaches the function.
_fold_word = lru_cache(maxsize=1 << 14)(_fold_one)


def fold(text: str) -> str:
    """Lower-case `text` and drop accents, so `goita` finds Goïta and `etat` finds État.

    White space is left as it is: the search indexes split words themselves. Words are
    folded one at a time through a cache: `load` folds millions of texts drawn from far
    fewer words, and a space never joins with the marks around it.
    """
    if text.isascii():
        return text.casefold()
    return " ".join(map(_fold_word, text.split(" ")))
