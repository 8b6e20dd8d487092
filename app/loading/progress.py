"""Progress of a long load or export, as plain lines on stderr every few seconds.

Plain lines rather than a redrawn bar: they read the same in a terminal, a log file and
CI output, and need no library. Nothing is printed for work done before the first
interval has passed, so quick runs stay quiet.
"""

import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TextIO, TypeVar

T = TypeVar("T")
_CHUNK = 1 << 22
_KEY = b'"id":'  # only records have an `id`; nested objects have none


def estimate_records(paths: Sequence[Path]) -> int:
    """About how many records the data files hold, from their `"id":` keys: a byte scan,
    a hundred times quicker than parsing them."""
    count = 0
    for path in paths:
        with path.open("rb") as stream:
            tail = b""
            while chunk := stream.read(_CHUNK):
                window = tail + chunk
                count += window.count(_KEY)
                tail = window[-(len(_KEY) - 1) :]  # a key split across two chunks
    return count


class Progress:
    """Counts records done and, every `every` seconds, prints how many of `total`, the
    rate and the time left; silent when `every` is None."""

    def __init__(
        self,
        what: str,
        every: float | None,
        total: int | None = None,
        *,
        out: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.what, self.every, self.total = what, every, total
        self.out = out or sys.stderr
        self.clock = clock
        self.count = 0
        self.printed = False
        self.start = self.first = clock()
        self.next = self.start + (every or 0)

    @classmethod
    def silent(cls) -> "Progress":
        """A progress that prints nothing."""
        return cls("", None)

    def _print(self, line: str) -> None:
        print(f"{self.what}: {line}", file=self.out, flush=True)
        self.printed = True

    def advance(self, records: int = 1) -> None:
        """Count `records` more done; print a line when the interval has passed."""
        if self.every is None:
            self.count += records
            return
        now = self.clock()
        if not self.count:  # rate and interval count from the first record, not the start
            self.first, self.next = now, now + self.every
        self.count += records
        if now < self.next or now == self.first:
            return
        self.next = now + self.every
        rate = self.count / (now - self.first)
        line = f"{self.count} records"
        if self.total:
            total = max(self.total, self.count)
            left = (total - self.count) / rate
            line = f"{self.count} of about {total} records ({100 * self.count // total}%)"
            line += f", {rate:.0f} a second, about {left:.0f} s left"
        else:
            line += f", {rate:.0f} a second"
        self._print(line)

    def each(self, items: Iterable[T]) -> Iterator[T]:
        """`items`, counting each as it is taken."""
        for item in items:
            yield item
            self.advance()

    def finishing(self, step: str) -> None:
        """Say the records are all read and what comes after, if anything was printed."""
        if self.printed:
            self._print(f"all {self.count} records read; {step}")

    def done(self) -> None:
        """The closing line, if anything was printed."""
        if self.printed:
            self._print(f"done: {self.count} records in {self.clock() - self.start:.1f} s")
