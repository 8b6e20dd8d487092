"""The response cache's bounds, exactly: what fits is kept, what does not is passed on."""

import pytest
from fastapi.testclient import TestClient
from starlette.types import Receive, Scope, Send

from app.middleware.response_cache import Rendered, ResponseCache, ResponseCacheMiddleware

PUBLIC = (b"cache-control", b"public, max-age=60")


def kept(cache: ResponseCache, count: int) -> list[int]:
    """Which of the entries `0` to `count - 1` the cache still holds."""
    return [n for n in range(count) if cache.get(str(n)) is not None]


def test_entries_up_to_both_bounds_are_kept_and_the_oldest_go_first() -> None:
    cache = ResponseCache(max_entries=100, max_bytes=160)  # entries of up to 10 bytes
    for n in range(16):
        cache.put(str(n), Rendered(b"x" * 10, []))
    assert kept(cache, 16) == list(range(16))  # exactly the byte budget
    for n in range(16, 18):
        cache.put(str(n), Rendered(b"x" * 10, []))
    assert kept(cache, 18) == list(range(2, 18))


def test_exactly_max_entries_fit_and_a_read_keeps_an_entry_in() -> None:
    cache = ResponseCache(max_entries=2, max_bytes=1600)
    cache.put("0", Rendered(b"x" * 100, []))  # exactly the largest entry kept
    cache.put("1", Rendered(b"x", []))
    assert kept(cache, 2) == [0, 1]
    cache.get("0")
    cache.put("2", Rendered(b"x", []))
    assert kept(cache, 3) == [0, 2]


def replays(
    status: int, headers: list[tuple[bytes, bytes]], chunks: list[bytes], entry: int = 100
) -> int:
    """How many times the app behind the middleware renders two identical GETs."""
    calls: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        calls.append(scope["path"])
        await send({"type": "http.response.start", "status": status, "headers": headers})
        for n, chunk in enumerate(chunks):
            more = n < len(chunks) - 1
            await send({"type": "http.response.body", "body": chunk, "more_body": more})

    middleware = ResponseCacheMiddleware(app, ResponseCache(10, entry * 16), probe=lambda: 1)
    client = TestClient(middleware)
    assert client.get("/page").content == client.get("/page").content == b"".join(chunks)
    return len(calls)


@pytest.mark.parametrize(
    ("chunks", "renders"),
    [
        ([b"x" * 100], 1),
        ([b"x" * 40, b"x" * 40, b"x" * 20], 1),
        ([b"x" * 101], 2),
        ([b"x" * 40, b"x" * 40, b"x" * 40], 2),
    ],
)
def test_a_stream_is_kept_while_its_whole_fits_one_entry(chunks: list[bytes], renders: int) -> None:
    assert replays(200, [PUBLIC], chunks) == renders


@pytest.mark.parametrize(
    ("status", "headers"),
    [
        (200, [(b"cache-control", b"no-store")]),
        (200, [(b"x-note", b"public")]),
        (404, [PUBLIC]),
    ],
)
def test_only_public_200s_are_kept(status: int, headers: list[tuple[bytes, bytes]]) -> None:
    assert replays(status, headers, [b"body"]) == 2
