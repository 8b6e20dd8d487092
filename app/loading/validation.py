"""Data files to validated records: parse, validate, hash; for a big load, in a second process.

For large files a worker process reads and validates while `load` writes, so a load uses two
cores. Records cross as plain rows (`app.loading.table_rows`) in `marshal`ed batches through
a bounded queue, so memory stays flat.
"""

import gc
import hashlib
import marshal
import multiprocessing
import queue
from collections.abc import Collection, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.explain import plain
from app.loading.datafile import COLLECTIONS, FileError, records
from app.loading.table_rows import Prepared, prepare
from app.schemas import ActorIn, EventIn, SourceIn

MAX_PROBLEMS = 100  # a broken million-record file should not print a million lines
# Below this many bytes of files, starting a process costs more than it saves.
WORKER_THRESHOLD = 16 << 20
_BATCH = 1000  # records per message from the worker


_MODELS: dict[str, type[SourceIn] | type[ActorIn] | type[EventIn]] = {
    "sources": SourceIn,
    "actors": ActorIn,
    "events": EventIn,
}


class LoadError(Exception):
    """Why a set of data files cannot be loaded; each line names file, record and field."""

    def __init__(self, problems: Sequence[str]) -> None:
        if len(problems) > MAX_PROBLEMS:
            problems = [*problems[:MAX_PROBLEMS], f"... and {len(problems) - MAX_PROBLEMS} more"]
        super().__init__("\n".join(problems))
        self.problems = list(problems)


def field_path(loc: Sequence[str | int]) -> str:
    """A field's place in its record, as problems name it: `figures[0].citations[1].quote`."""
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".")


# What `validated` is told is stored: by collection, the `digest_key` of each record's hash.
Stored = Mapping[str, Collection[bytes]]


def _digest(text: str) -> str:
    """The hash of a record's text as the file gives it: an unchanged record is not written
    again (one whose layout alone changed is, once)."""
    return hashlib.sha256(text.encode()).hexdigest()


def digest_key(digest: str) -> bytes:
    """A record hash shortened to 16 bytes, under half the memory of its hex text: a million
    of them cross to the validating process, and two texts sharing one are still never met."""
    return bytes.fromhex(digest[:32])


def _in_process(
    paths: Sequence[Path], problems: list[str], stored: Stored | None = None
) -> Iterator[Prepared]:
    seen: dict[str, dict[str, Path]] = {collection: {} for collection in COLLECTIONS}
    stored = stored or {}
    for path in paths:
        try:
            for collection, index, raw, text in records(path):
                if index < 0:
                    if collection != "$schema":
                        problems.append(
                            f"{path}: file: {collection}: Extra inputs are not permitted"
                        )
                    elif not isinstance(raw, str):
                        problems.append(f"{path}: file: $schema: Input should be a valid string")
                    continue
                record_id = raw.get("id") if isinstance(raw, dict) else None
                name = f"{collection}[{index}]" + (f" {record_id!r}" if record_id else "")
                digest = _digest(text)
                record = None
                if isinstance(record_id, str) and digest_key(digest) in stored.get(collection, ()):
                    key = record_id  # stored as it is: valid then, and its references with it
                else:
                    try:
                        record = _MODELS[collection].model_validate(raw)
                    except ValidationError as exc:
                        for error in exc.errors():
                            where = field_path(error["loc"]) or "(record)"
                            problems.append(f"{path}: {name}: {where}: {plain(error['msg'])}")
                        continue
                    key = record.id
                if (first := seen[collection].get(key)) is not None:
                    problems.append(f"{path}: {name}: id: also defined in {first}")
                    continue
                seen[collection][key] = path
                where = f"{path}: {name}"
                if record is None:
                    yield Prepared(collection, where, key, digest, {}, {}, {}, stored=True)
                else:
                    yield prepare(collection, where, record, digest)
        except FileError as exc:
            problems.append(f"{path}: {exc}")


def _put(out: "multiprocessing.Queue[Any]", message: tuple[str, Any]) -> None:
    """Put `message` for the loading process, or end this worker if that process is gone.

    A load killed half-way (SIGKILL, a lost terminal) reads no more, and a worker blocked
    on the full queue would otherwise wait for it forever.
    """
    parent = multiprocessing.parent_process()
    while True:
        try:
            out.put(message, timeout=1)
            return
        except queue.Full:
            if parent is not None and not parent.is_alive():
                out.cancel_join_thread()  # what is still buffered has no reader
                raise SystemExit(1) from None


def _produce(paths: Sequence[Path], stored: Stored, out: "multiprocessing.Queue[Any]") -> None:
    """The worker: batches of validated records, then the problems.

    Its objects die young and form no cycles, so the cycle collector would only walk them
    (a tenth of the worker's time): it is off in this short-lived process.
    """
    gc.disable()
    problems: list[str] = []
    batch: list[tuple[Any, ...]] = []
    try:
        for item in _in_process(paths, problems, stored):
            batch.append(tuple(item))
            if len(batch) >= _BATCH:
                _put(out, ("records", marshal.dumps(batch)))
                batch = []
        _put(out, ("records", marshal.dumps(batch)))
        _put(out, ("problems", problems))
    except Exception as exc:  # noqa: BLE001  (reported by the loading process)
        _put(out, ("failed", f"{type(exc).__name__}: {exc}"))


def _in_worker(paths: Sequence[Path], problems: list[str], stored: Stored) -> Iterator[Prepared]:
    context = multiprocessing.get_context("spawn")  # no state shared with this process
    messages: multiprocessing.Queue[Any] = context.Queue(maxsize=8)
    arguments = (list(paths), dict(stored), messages)
    worker = context.Process(target=_produce, args=arguments, daemon=True)
    worker.start()
    try:
        while True:
            try:
                kind, payload = messages.get(timeout=1)
            except queue.Empty:
                if not worker.is_alive():
                    raise RuntimeError("the validating process ended unexpectedly") from None
                continue
            if kind == "failed":
                raise RuntimeError(f"validating failed: {payload}")
            if kind == "problems":
                problems.extend(payload)
                return
            yield from map(Prepared._make, marshal.loads(payload))
    finally:
        if worker.is_alive():
            worker.kill()
        worker.join()


def validated(
    paths: Sequence[Path], problems: list[str], stored: Stored | None = None
) -> Iterator[Prepared]:
    """Every valid record of `paths` as rows, in file order; what is wrong goes to `problems`.

    A record whose text is one the database holds (`stored`) comes out as it was stored,
    `Prepared.stored`, without validating it again: a second load of a million records,
    a few of them changed, would otherwise spend most of its time on those it keeps.
    Problems name file, record and field. From a worker process they arrive at the end,
    so the caller must not commit before this iterator is exhausted.
    """
    size = sum(path.stat().st_size for path in paths if path.is_file())
    if size < WORKER_THRESHOLD:
        yield from _in_process(paths, problems, stored)
    else:
        yield from _in_worker(paths, problems, stored or {})


def validate(paths: Sequence[Path]) -> None:
    """Check files without a database: syntax, fields and duplicate ids (not references)."""
    problems: list[str] = []
    for _ in validated(paths, problems):
        pass
    if problems:
        raise LoadError(problems)
