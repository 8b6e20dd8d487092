"""Reading a data file one record at a time, so memory stays flat however large the file.

A data file is one JSON object whose `sources`, `actors` and `events` arrays hold the
records. The standard library's C decoder parses each record; only the outer object and
arrays are walked here, in a single pass, so records come out in file order.
"""

import codecs
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

COLLECTIONS = ("sources", "actors", "events")
_CHUNK = 1 << 20
# No record comes near this size; a longer stretch that does not parse is an error.
_LOOKAHEAD = 16 << 20
_SPACE = re.compile(r"[ \t\n\r]*")
_decoder = json.JSONDecoder()


class FileError(Exception):
    """A data file that is not readable JSON of the expected outline; says where."""


class _Reader:
    """A window on the decoded text that slides forward as values are consumed."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._decode = codecs.getincrementaldecoder("utf-8")()
        self._bytes = 0
        self._text = ""
        self._pos = 0
        self._line = 1  # line and column where `_text` starts
        self._column = 1
        self.last_text = ""  # the JSON text of the value `value` returned last

    def _more(self) -> bool:
        """Drop what has been consumed and read the next chunk; False at the end.

        Positions in the window change only when there is more to read.
        """
        chunk = self._stream.read(_CHUNK)
        try:
            data = self._decode.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            raise FileError(
                f"not UTF-8 text ({exc.reason} at byte {self._bytes + exc.start})"
            ) from None
        if not chunk:
            return False
        self._bytes += len(chunk)
        consumed = self._text[: self._pos]
        if (newlines := consumed.count("\n")) > 0:
            self._line += newlines
            self._column = len(consumed) - consumed.rfind("\n")
        else:
            self._column += len(consumed)
        self._text = self._text[self._pos :] + data
        self._pos = 0
        return True

    def error(self, message: str, pos: int | None = None) -> FileError:
        pos = self._pos if pos is None else pos
        newlines = self._text.count("\n", 0, pos)
        column = pos - self._text.rfind("\n", 0, pos) if newlines else self._column + pos
        return FileError(f"invalid JSON at line {self._line + newlines} column {column}: {message}")

    def peek(self) -> str:
        """The next character that is not white space; empty at the end of the file."""
        while True:
            match = _SPACE.match(self._text, self._pos)
            self._pos = match.end() if match else self._pos
            if self._pos < len(self._text):
                return self._text[self._pos]
            if not self._more():
                return ""

    def expect(self, characters: str, what: str) -> str:
        """Consume one of `characters`, or fail saying `what` was expected."""
        character = self.peek()
        if not character or character not in characters:
            raise self.error(f"expecting {what}")
        self._pos += 1
        return character

    def value(self) -> Any:
        """Decode the next JSON value, reading on while it runs past the window."""
        self.peek()
        while True:
            try:
                value, end = _decoder.raw_decode(self._text, self._pos)
            except json.JSONDecodeError as exc:
                error = self.error(exc.msg, exc.pos)  # before the window moves
                if len(self._text) - self._pos < _LOOKAHEAD and self._more():
                    continue
                raise error from None
            if end == len(self._text) and self._more():
                continue  # a number at the edge of the window may go on
            self.last_text = self._text[self._pos : end]
            self._pos = end
            return value


Item = tuple[str, int, Any, str]  # collection, index (-1 outside the arrays), value, its text


def _records(reader: _Reader) -> Iterator[Item]:
    reader.expect("{", "an object")
    if reader.peek() == "}":
        reader.expect("}", "'}'")
    else:
        while True:
            key = reader.value()
            if not isinstance(key, str):
                raise reader.error("expecting a property name")
            reader.expect(":", "':'")
            if key in COLLECTIONS:
                yield from _array(reader, key)
            else:
                yield key, -1, reader.value(), reader.last_text
            if reader.expect(",}", "',' or '}'") == "}":
                break
    if reader.peek():
        raise reader.error("extra data after the object")


def _array(reader: _Reader, key: str) -> Iterator[Item]:
    reader.expect("[", f"an array of {key}")
    if reader.peek() == "]":
        reader.expect("]", "']'")
        return
    index = 0
    while True:
        yield key, index, reader.value(), reader.last_text
        index += 1
        if reader.expect(",]", "',' or ']'") == "]":
            return


def records(path: Path) -> Iterator[Item]:
    """(collection, index, record, its JSON text) for every record of the file, in file order.

    Top-level keys other than the collections come out with index -1 and their value,
    so the caller decides what else a file may hold.
    """
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise FileError(f"cannot read: {exc.strerror}") from None
    with stream:
        yield from _records(_Reader(stream))
