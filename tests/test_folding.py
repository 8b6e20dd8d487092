"""Search folding: word by word through a cache, it must fold exactly as the whole text."""

import sys
import unicodedata

import pytest

from app.folding import fold

_MARKS = dict.fromkeys(c for c in range(sys.maxunicode + 1) if unicodedata.combining(chr(c)))


def _whole(text: str) -> str:
    return unicodedata.normalize("NFKD", text).translate(_MARKS).casefold()


@pytest.mark.parametrize(
    "text",
    [
        "Second coup d'État au Mali",
        "Assimi Goïta  et  l'ÉTAT",  # runs of spaces stay
        " Ménaka ",
        "e\u0301 a\u0308b",  # marks written apart from their letter
        "\u0301 début",  # a mark with no letter before it
        "Straße ẞ ﬁn",  # folds and compatibility forms that change length
        "x\u00a0é\u2003ü\ttab\nline",  # other white space stays inside a word
        "İstanbul ǅ ῼ",
        "日本語 テスト",
        "",
    ],
)
def test_fold_equals_folding_the_whole_text(text: str) -> None:
    assert fold(text) == _whole(text)
    assert fold(text) == fold(text)  # the second time from the cache


def test_fold_finds_accented_words_without_accents() -> None:
    assert fold("Goïta") == "goita"
    assert fold("ÉTAT") == "etat"
