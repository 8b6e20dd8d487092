"""Text folding for search: case- and accent-insensitive, the same on every backend."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case `text` and drop accents, so `goita` finds Goïta and `etat` finds État."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def search_words(query: str) -> list[str]:
    """The folded words of a search query; every one must match."""
    return fold(query).split()
