"""The response cache's bounds, exactly: what fits is kept, what does not is passed on."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

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


def renders(messages: list[Message]) -> tuple[bytes, int]:
    """The body of two identical GETs to an app that sends `messages`, and how many times
    the app rendered them."""
    calls: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        calls.append(scope["path"])
        for message in messages:
            await send(message)

    client = TestClient(ResponseCacheMiddleware(app, ResponseCache(10, 1600), probe=lambda: 1))
    first, again = client.get("/page"), client.get("/page")
    assert first.content == again.content
    return first.content, len(calls)


START = {"type": "http.response.start", "status": 200}
BODY = {"type": "http.response.body"}


@pytest.mark.parametrize(
    ("messages", "expected"),
    [
        ([START, BODY | {"body": b"page"}], (b"page", 2)),  # no headers: not public
        ([START | {"headers": [PUBLIC]}, BODY | {"body": b"page"}], (b"page", 1)),
        (
            [START | {"headers": [PUBLIC]}, BODY | {"body": b"page", "more_body": True}, BODY],
            (b"page", 1),
        ),
    ],
)
def test_the_keys_asgi_makes_optional_take_their_defaults(
    messages: list[Message], expected: tuple[bytes, int]
) -> None:
    """ASGI lets an app leave out a start's headers and a body's `body` and `more_body`
    (no headers, no bytes, the last chunk): the middleware reads them as the spec says."""
    assert renders(messages) == expected


def test_a_stream_given_up_lets_an_identical_request_render_at_once() -> None:
    """An identical request waits for a render only until the stream outgrows an entry:
    then it renders on its own instead of waiting for the whole export to end."""
    second_done = asyncio.Event()
    calls: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        calls.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": [PUBLIC]})
        if len(calls) > 1:
            await send({"type": "http.response.body", "body": b"small"})
            return
        for _ in range(2):  # 120 bytes > 100: the copy is given up after the second chunk
            await send({"type": "http.response.body", "body": b"x" * 60, "more_body": True})
        await second_done.wait()  # the export goes on until the second request is answered
        await send({"type": "http.response.body", "body": b"end"})

    middleware = ResponseCacheMiddleware(app, ResponseCache(10, 1600), probe=lambda: 1)

    async def get(sent: list[Message]) -> None:
        async def receive() -> Message:
            return {"type": "http.request"}

        async def send(message: Message) -> None:
            sent.append(message)

        scope = {"type": "http", "method": "GET", "scheme": "http", "path": "/events.csv"}
        await middleware(scope | {"query_string": b"", "headers": []}, receive, send)

    async def both() -> tuple[int, bytes]:
        export: list[Message] = []
        first = asyncio.create_task(get(export))
        while len(export) < 3:  # the start and two chunks: the copy is given up
            await asyncio.sleep(0)
        second: list[Message] = []
        await asyncio.wait_for(get(second), timeout=10)  # not for the export's end
        second_done.set()
        await first
        return len(export), b"".join(m.get("body", b"") for m in second[1:])

    with ThreadPoolExecutor(1) as thread:  # a loop of its own, whatever runs in this one
        assert thread.submit(asyncio.run, both()).result() == (4, b"small")
