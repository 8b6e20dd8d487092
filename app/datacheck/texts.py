"""Source texts kept outside the repository, and whether quotes are verbatim in them.

The project quotes sentences; it does not republish articles. Their texts live in a
directory of UTF-8 `.txt` files, matched to sources like this:

- `<source-id>.txt` is the text of that source;
- a source without such a file takes the text of the directory that holds the most of its
  quotes, so a text can keep the name it was saved under;
- a source none of whose quotes is in any text is left unchecked: its text is not there.

Quotes and texts are compared with runs of white space made one space, nothing else:
quotes are verbatim.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


def normalise(text: str) -> str:
    """`text` with every run of white space made one space, and none at either end."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Verdict:
    """What the texts say of one source's quotes."""

    text: Path | None  # the file the quotes were looked up in; None when none matched
    missing: list[int]  # positions of the quotes that are not in it


class SourceTexts:
    """The texts of a directory, read once and normalised."""

    def __init__(self, directory: Path) -> None:
        if not directory.is_dir():
            raise FileNotFoundError(f"{directory}: not a directory of source texts")
        files = sorted(directory.glob("*.txt"))
        self._texts = {path: normalise(path.read_text(encoding="utf-8")) for path in files}
        self._named = {path.stem: path for path in files}

    def verdict(self, source: str, quotes: Iterable[str]) -> Verdict:
        """Which of `quotes`, all cited from `source`, its text does not hold."""
        wanted = [normalise(quote) for quote in quotes]
        text = self._named.get(source)
        if text is None:
            text = self._best_match(wanted)
        if text is None:
            return Verdict(None, [])
        body = self._texts[text]
        return Verdict(text, [i for i, quote in enumerate(wanted) if quote not in body])

    def _best_match(self, quotes: list[str]) -> Path | None:
        """The text holding the most of `quotes`, if any holds one."""
        best, most = None, 0
        for path, body in self._texts.items():
            held = sum(quote in body for quote in quotes)
            if held > most:
                best, most = path, held
        return best
