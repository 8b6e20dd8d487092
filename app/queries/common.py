"""What every query shares: pages, the dialect, the loaded data version and cached totals."""

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, Generic, TypeVar

from sqlalchemy import Engine, Select, func, select
from sqlalchemy.orm import Session

from app.models import Dataset, Release

T = TypeVar("T")
AnySelect = Select[*tuple[Any, ...]]


@dataclass(frozen=True)
class Page(Generic[T]):
    """Rows of one page, how many rows match in all, and whether more follow."""

    rows: Sequence[T]
    total: int
    has_more: bool


def dialect_of(session: Session) -> str:
    """The SQL dialect of the session's database: `sqlite` or `postgresql`."""
    return session.get_bind().dialect.name


@dataclass(frozen=True)
class DataVersion:
    """Which version of the data is loaded, since when, and how long its longest event lasts."""

    version: int
    updated_at: datetime
    longest_event_days: int | None
    release: int | None  # the latest release, as `Dataset-Release` tells clients


DATA_VERSION = select(
    Dataset.version,
    Dataset.updated_at,
    Dataset.longest_event_days,
    select(func.max(Release.number)).scalar_subquery(),
).where(Dataset.id == 1)


def get_dataset(session: Session) -> DataVersion | None:
    """The loaded data version; None before the first load. Read once per session.

    Every request asks (for its ETag), so it skips the ORM: one indexed row, plain Core.
    """
    transaction = session.get_transaction()
    known = session.info.get("dataset")
    if transaction is not None and known is not None and known[0] is transaction:
        found: DataVersion | None = known[1]
        return found
    row = session.connection().execute(DATA_VERSION).first()
    found = DataVersion(*row) if row else None
    remember_dataset(session, found)
    return found


def remember_dataset(session: Session, found: DataVersion | None) -> None:
    """Keep `found`, read by this session's transaction, as its `get_dataset`: a statement
    that reads `DATA_VERSION` beside what it is for saves a statement."""
    session.info["dataset"] = (session.get_transaction(), found)


def forget_dataset(session: Session) -> None:
    """Make the session's next `get_dataset` read the row again: a load has changed it."""
    session.info.pop("dataset", None)


@lru_cache(maxsize=1024)
def count_of(statement: AnySelect) -> Select[int]:
    """A count of the rows `statement` returns, built once per statement: SQLAlchemy then
    computes its cache key once, where a count built anew walks every condition again (a
    pinned statement's probes are most of them)."""
    return select(func.count()).select_from(statement.order_by(None).subquery())


class _Totals:
    """Exact match counts (and facet counts) by database, data version and filter, least
    recently used out.

    Counting is the one part of a page whose cost grows with the matches (a million rows
    for an unfiltered list); the count cannot change until the data version does, so each
    filter is counted once per version instead of on every page.
    """

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[str, int, str], Any] = OrderedDict()
        self._databases: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def _database(self, engine: Engine) -> str:
        """The database `engine` reads, as text: rendering a URL costs more than the rest of
        the key, so it is done once per engine."""
        with self._lock:
            if (name := self._databases.get(engine)) is None:
                name = self._databases[engine] = engine.url.render_as_string()
            return name

    def remember(self, session: Session, key: object, compute: Callable[[], T]) -> T:
        """What `compute` returns for `key` on this database and data version, computed once
        per version."""
        dataset = get_dataset(session)
        database = self._database(session.get_bind().engine)
        entry = (database, dataset.version if dataset else 0, repr(key))
        with self._lock:
            if entry in self._entries:
                self._entries.move_to_end(entry)
                known: T = self._entries[entry]
                return known
        found = compute()
        with self._lock:
            self._entries[entry] = found
            if len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return found

    def count(
        self,
        session: Session,
        filters: object,
        statement: AnySelect,
        parameters: dict[str, Any] | None = None,
    ) -> int:
        """How many rows `statement` returns (with `parameters` bound), from memory when this
        version was counted."""

        return self.remember(
            session, filters, lambda: session.scalar(count_of(statement), parameters) or 0
        )


totals = _Totals(max_entries=10_000)
