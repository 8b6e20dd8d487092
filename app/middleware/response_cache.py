"""The response cache: whole responses replayed to repeated GETs, keyed by the data version."""

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.middleware.base import HTTPMiddleware


@dataclass(frozen=True)
class Rendered:
    """A whole response as the app sent it: status line headers and body."""

    body: bytes
    headers: list[tuple[bytes, bytes]]


class ResponseCache:
    """Whole responses by key, least recently used first out, bounded in entries and bytes."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, Rendered] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> Rendered | None:
        """The response kept for `key`, if it is still held."""
        with self._lock:
            rendered = self._entries.get(key)
            if rendered is not None:
                self._entries.move_to_end(key)
            return rendered

    @property
    def max_entry_bytes(self) -> int:
        """The largest body kept: one large export must not flush everything else."""
        return self.max_bytes // 16

    def put(self, key: str, rendered: Rendered) -> None:
        """Keep `rendered`, evicting the least recently used entries beyond the bounds."""
        if len(rendered.body) > self.max_entry_bytes:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = rendered
            self._bytes += len(rendered.body)
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= len(evicted.body)


class DataVersionProbe:
    """The loaded data version, read per request straight on a DBAPI connection.

    No session and no ORM: one indexed row. Its engine is its own, so the event loop never
    waits for a connection that request threads hold. Any failure answers None (no
    caching), so the app itself reports the outage.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def __call__(self) -> int | None:
        try:
            connection = self._engine.raw_connection()
        except Exception:  # noqa: BLE001  (any database failure means: do not cache)
            return None
        try:
            cursor = connection.cursor()
            cursor.execute("SELECT version FROM dataset WHERE id = 1")
            row = cursor.fetchone()
            cursor.close()
        except Exception:  # noqa: BLE001
            connection.invalidate()
            return None
        finally:
            connection.close()  # back to the pool, which ends the transaction
        return int(row[0]) if row else None


# Request headers a response may depend on; each is part of the key.
_VARY = (b"host", b"accept", b"accept-language", b"accept-encoding")
# Requests the app must see: revalidations answer 304 from the ETag.
_CONDITIONAL = (b"if-none-match", b"if-modified-since")


class ResponseCacheMiddleware(HTTPMiddleware):
    """Replays whole responses to repeated GETs without running the app behind it.

    The key holds the data version and everything a response can depend on: path, query
    and the request headers it varies on (`_VARY`). So an entry is only ever replayed to a
    request that would get the same bytes, different languages and representations never
    share one, and a load moves the version so old entries stop matching. Only complete
    200 responses marked `public` are kept (streams too, if they end small); errors never.
    """

    def __init__(self, app: ASGIApp, cache: ResponseCache, probe: Callable[[], int | None]):
        super().__init__(app)
        self.cache = cache
        self.probe = probe
        # Keys being rendered now: an identical request waits for that one instead of
        # rendering too (a frontend's first page, a year's export asked for at once).
        self._rendering: dict[str, asyncio.Event] = {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope["headers"])
        version = None
        if scope["method"] == "GET" and not any(h in headers for h in _CONDITIONAL):
            version = self.probe()
        if version is None:
            await self.app(scope, receive, send)
            return
        parts = [str(version), scope["scheme"], scope["path"], scope["query_string"].decode()]
        key = "\n".join(parts + [headers.get(h, b"").decode("latin-1") for h in _VARY])
        kept = self.cache.get(key)
        if kept is None and (rendering := self._rendering.get(key)) is not None:
            await rendering.wait()  # set once the response is kept or cannot be
            kept = self.cache.get(key)
        if kept is not None:
            await send({"type": "http.response.start", "status": 200, "headers": kept.headers})
            await send({"type": "http.response.body", "body": kept.body})
            return
        done = self._rendering.setdefault(key, asyncio.Event())
        try:
            await self.app(scope, receive, self._keeping(key, send, done))
        finally:
            done.set()
            if self._rendering.get(key) is done:
                del self._rendering[key]

    def _keeping(self, key: str, send: Send, done: asyncio.Event) -> Send:
        """`send`, keeping a copy of a public 200 response: of a stream, only while it stays
        within the cache's entry size, so a large export is passed on and not held. `done`
        is set as soon as the copy is kept or given up."""
        start: dict[str, Any] = {}
        chunks: list[bytes] = []
        size = 0

        async def keeping_send(message: Message) -> None:
            nonlocal size
            if message["type"] == "http.response.start":
                public = any(
                    name == b"cache-control" and value.startswith(b"public")
                    for name, value in message.get("headers", [])
                )
                if message["status"] == 200 and public:
                    start.update(message)
                else:
                    done.set()
            elif message["type"] == "http.response.body" and start:
                body = message.get("body", b"")
                size += len(body)
                if size > self.cache.max_entry_bytes:
                    start.clear()
                    chunks.clear()
                    done.set()
                else:
                    chunks.append(body)
                if start and not message.get("more_body", False):
                    self.cache.put(key, Rendered(b"".join(chunks), list(start["headers"])))
                    done.set()
            await send(message)

        return keeping_send
