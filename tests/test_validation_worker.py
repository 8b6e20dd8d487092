"""The validating worker of a large load: what it sends, and what the loading side makes of
a worker that fails or dies. `_produce` is called in this process, so that what it does
is measured like any other code; `_in_worker` starts a real worker."""

import gc
import marshal
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.loading import validation
from app.loading.table_rows import Prepared
from tests.factories import make_source, write_data

DEADLINE = 60.0  # seconds a worker may take to start, validate or die


@pytest.fixture
def collector_on() -> Iterator[None]:
    """`_produce` turns the cycle collector off for the rest of its process: not this one's."""
    yield
    gc.enable()


def produced(paths: list[Path]) -> list[tuple[str, Any]]:
    """The messages `_produce` sends for `paths`, up to and including its last."""
    out: multiprocessing.Queue[Any] = multiprocessing.get_context("spawn").Queue()
    validation._produce(paths, {}, out)
    messages = [out.get(timeout=DEADLINE)]
    while messages[-1][0] == "records":
        messages.append(out.get(timeout=DEADLINE))
    out.close()
    return messages


@pytest.mark.usefixtures("collector_on")
def test_the_worker_sends_full_batches_then_the_problems(tmp_path: Path) -> None:
    sources = [make_source(id=f"s-{n}") for n in range(2500)]
    path = write_data(tmp_path / "many.json", sources=[*sources, make_source(id="")])
    messages = produced([path])
    assert [kind for kind, _ in messages] == ["records"] * 3 + ["problems"]
    batches = [marshal.loads(payload) for _, payload in messages[:-1]]
    assert [len(batch) for batch in batches] == [1000, 1000, 500]
    in_process: list[str] = []
    rows = [Prepared._make(row) for batch in batches for row in batch]
    assert rows == list(validation._in_process([path], in_process))
    assert messages[-1][1] == in_process
    assert [p.split(": ", 2)[:2] for p in in_process] == [[str(path), "sources[2500]"]]


@pytest.mark.usefixtures("collector_on")
def test_a_worker_that_fails_says_why_instead_of_sending_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(paths: list[Path], problems: list[str], _stored: Any) -> Iterator[Prepared]:
        raise MemoryError(f"{len(paths)} file")

    monkeypatch.setattr(validation, "_in_process", failing)
    assert produced([tmp_path / "any.json"]) == [("failed", "MemoryError: 1 file")]


class _Load:
    """The loading process as the worker sees it; `on_check` runs when the worker looks."""

    def __init__(self, *, alive: bool, on_check: Callable[[], object] = lambda: None) -> None:
        self.alive, self.on_check = alive, on_check

    def is_alive(self) -> bool:
        self.on_check()
        return self.alive


def full_queue() -> "multiprocessing.Queue[Any]":
    """A queue to the loading process that has no room left."""
    out: multiprocessing.Queue[Any] = multiprocessing.get_context("spawn").Queue(maxsize=1)
    out.put(("records", b"first"))
    return out


def put_as_worker_of(
    load: _Load, out: "multiprocessing.Queue[Any]", monkeypatch: pytest.MonkeyPatch
) -> str:
    """How `_put` of the problems ends in a worker of `load`: "sent", or "exit" and the
    status the worker ends with. Bounded by `DEADLINE`."""
    monkeypatch.setattr(multiprocessing, "parent_process", lambda: load)
    ended: list[str] = []

    def put() -> None:
        try:
            validation._put(out, ("problems", []))
            ended.append("sent")
        except SystemExit as exc:
            ended.append(f"exit {exc.code}")

    putter = threading.Thread(target=put, daemon=True)
    putter.start()
    putter.join(DEADLINE)
    assert ended, "the worker neither sent nor ended"
    return ended[0]


def test_a_worker_whose_load_is_gone_ends_instead_of_waiting_on_a_full_queue(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ended = put_as_worker_of(_Load(alive=False), full_queue(), monkeypatch)
    assert ended.startswith("exit ")
    assert ended not in {"exit 0", "exit None"}, "a worker that gave up reports success"


def test_a_worker_waits_on_a_full_queue_while_its_load_lives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = full_queue()
    read: list[Any] = []
    load = _Load(alive=True, on_check=lambda: read.append(out.get(timeout=DEADLINE)))
    assert put_as_worker_of(load, out, monkeypatch) == "sent"
    assert read == [("records", b"first")]
    assert out.get(timeout=DEADLINE) == ("problems", [])


def in_a_worker(paths: list[Path], *, kill: bool = False) -> str:
    """Validate `paths` in a worker process, killed once it runs if `kill`; how it ended:
    the number of records, or the error raised. Bounded by `DEADLINE` whatever happens."""
    ended: list[str] = []

    def consume() -> None:
        problems: list[str] = []
        try:
            ended.append(f"{len(list(validation._in_worker(paths, problems, {})))} records")
        except RuntimeError as exc:
            ended.append(f"RuntimeError: {exc}")

    before = set(multiprocessing.active_children())
    consumer = threading.Thread(target=consume, daemon=True)
    consumer.start()
    if kill:
        deadline = time.monotonic() + DEADLINE
        while not (started := set(multiprocessing.active_children()) - before):
            assert time.monotonic() < deadline, "the worker never started"
            consumer.join(0.05)
        for worker in started:
            worker.kill()
    consumer.join(DEADLINE)
    assert ended, "validating in a worker did not end"
    return ended[0]


def test_a_worker_gives_the_records_of_the_file(tmp_path: Path) -> None:
    sources = [make_source(id=f"s-{n}") for n in range(3)]
    assert in_a_worker([write_data(tmp_path / "three.json", sources=sources)]) == "3 records"


def test_a_worker_that_fails_stops_the_load_saying_why(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"sources": [' + "[" * 100_000 + "]" * 100_000 + "]}", encoding="utf-8")
    ended = in_a_worker([path])
    assert ended.startswith("RuntimeError: validating failed: RecursionError: "), ended


def test_a_worker_that_dies_stops_the_load_saying_so(tmp_path: Path) -> None:
    fifo = tmp_path / "never-written.json"
    os.mkfifo(fifo)  # the worker waits on it until killed
    ended = in_a_worker([fifo], kill=True)
    assert ended == "RuntimeError: the validating process ended unexpectedly"
