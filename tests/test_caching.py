"""Validators, 304s, Cache-Control, Vary, compression and the response cache."""

import asyncio
import gzip
import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import brotli
import pytest
import zstandard
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from app.config import Settings
from app.main import create_app
from app.middleware.response_cache import Rendered, ResponseCache, ResponseCacheMiddleware
from tests.conftest import DATA_DIR, load_files, shipped_files, statements
from tests.factories import make_actor, make_event, make_source, write_data

PATHS = [
    "/", "/events", "/events/mali-coup-2021", "/actors", "/actors/takuba", "/event-types",
    "/timeline", "/events.csv", "/events.geojson", "/actors.csv", "/actors/takuba/events",
]  # fmt: skip


@pytest.mark.parametrize("path", PATHS)
def test_every_get_revalidates_with_its_etag(client: TestClient, path: str) -> None:
    first = client.get(path)
    etag = first.headers["etag"]
    assert etag.startswith('"')  # strong: no W/ prefix
    assert first.headers["cache-control"] == "public, max-age=60"
    assert first.headers["last-modified"].endswith("GMT")
    assert {"Accept", "Accept-Language"} <= {v.strip() for v in first.headers["vary"].split(",")}
    again = client.get(path)
    assert again.headers["etag"] == etag
    cached = client.get(path, headers={"If-None-Match": etag})
    assert cached.status_code == 304
    assert cached.content == b""
    assert cached.headers["etag"] == etag


def test_if_modified_since(client: TestClient) -> None:
    last_modified = client.get("/events").headers["last-modified"]
    assert client.get("/events", headers={"If-Modified-Since": last_modified}).status_code == 304
    old = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert client.get("/events", headers={"If-Modified-Since": old}).status_code == 200
    assert client.get("/events", headers={"If-Modified-Since": "garbage"}).status_code == 200


def test_if_none_match_wins_over_if_modified_since(client: TestClient) -> None:
    last_modified = client.get("/events").headers["last-modified"]
    response = client.get(
        "/events", headers={"If-None-Match": '"other"', "If-Modified-Since": last_modified}
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("header", "status"),
    [
        ("{etag}", 304),
        ("W/{etag}", 304),  # a weak comparison: a cache may have stored the tag as weak
        ('"other", W/{etag}', 304),
        ("*", 304),
        ('"other"', 200),
        ('W/"other"', 200),
    ],
)
def test_if_none_match_takes_weak_tags_lists_and_any(
    client: TestClient, header: str, status: int
) -> None:
    etag = client.get("/events").headers["etag"]
    response = client.get("/events", headers={"If-None-Match": header.format(etag=etag)})
    assert response.status_code == status


def test_etags_differ_per_representation_language_and_query(client: TestClient) -> None:
    etags = {
        client.get("/events").headers["etag"],
        client.get("/events", params={"lang": "nl"}).headers["etag"],
        client.get("/events", headers={"Accept-Language": "fr"}).headers["etag"],
        client.get("/events", headers={"Accept": "text/csv"}).headers["etag"],
        client.get("/events", headers={"Accept": "application/geo+json"}).headers["etag"],
        client.get("/events", params={"type": "coup"}).headers["etag"],
    }
    assert len(etags) == 6
    stale = client.get("/events", params={"lang": "nl"}).headers["etag"]
    assert client.get("/events", headers={"If-None-Match": stale}).status_code == 200


def test_etag_and_last_modified_change_when_the_data_changes_and_only_then(
    empty_url: str, tmp_path: Path
) -> None:
    load_files(empty_url, shipped_files())
    with TestClient(create_app(Settings(database_url=empty_url))) as client:
        first = client.get("/events/mali-coup-2021").headers
        before = first["etag"]
        load_files(empty_url, shipped_files())  # the same data again
        again = client.get("/events/mali-coup-2021").headers
        assert (again["etag"], again["last-modified"]) == (before, first["last-modified"])
        changed = write_data(
            tmp_path / "more.json",
            sources=[make_source()],
            actors=[make_actor()],
            events=[make_event()],
        )
        loaded_from = datetime.now(UTC).replace(microsecond=0)
        load_files(empty_url, [changed])
        loaded_by = datetime.now(UTC)
        after = client.get("/events/mali-coup-2021")
        assert after.headers["etag"] != before
        assert loaded_from <= parsedate_to_datetime(after.headers["last-modified"]) <= loaded_by
        assert (
            client.get("/events/mali-coup-2021", headers={"If-None-Match": before}).status_code
            == 200
        )


def test_max_age_is_configurable_and_health_is_never_cached(seeded_url: str) -> None:
    with TestClient(create_app(Settings(database_url=seeded_url, cache_max_age=300))) as client:
        assert client.get("/events").headers["cache-control"] == "public, max-age=300"
        assert client.get("/health").headers["cache-control"] == "public, max-age=0"


DECODERS = {
    "gzip": gzip.decompress,
    "br": brotli.decompress,
    "zstd": lambda data: zstandard.ZstdDecompressor().decompressobj().decompress(data),
}


@pytest.mark.parametrize("encoding", sorted(DECODERS))
@pytest.mark.parametrize("path", ["/events?limit=500", "/events.csv", "/timeline"])
def test_large_responses_round_trip_compressed(
    client: TestClient, encoding: str, path: str
) -> None:
    plain = client.get(path, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    with client.stream("GET", path, headers={"Accept-Encoding": encoding}) as response:
        raw = b"".join(response.iter_raw())
    assert response.headers["content-encoding"] == encoding
    assert len(raw) < len(plain.content) / 2
    assert DECODERS[encoding](raw) == plain.content


def test_small_responses_are_not_compressed(client: TestClient) -> None:
    response = client.get("/health", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in response.headers


def test_cached_responses_never_outlive_the_data(empty_url: str, tmp_path: Path) -> None:
    load_files(empty_url, shipped_files())
    with TestClient(create_app(Settings(database_url=empty_url))) as client:
        first = client.get("/events/mali-coup-2021", params={"lang": "nl"}).json()
        assert client.get("/events/mali-coup-2021", params={"lang": "nl"}).json() == first
        assert client.get("/events/mali-coup-2021").json()["title"] != first["title"]
        events = json.loads((DATA_DIR / "events.json").read_text(encoding="utf-8"))["events"]
        coup = next(e for e in events if e["id"] == "mali-coup-2021")
        coup["title"]["nl"] = "Een andere titel"
        load_files(empty_url, [write_data(tmp_path / "changed.json", events=[coup])])
        again = client.get("/events/mali-coup-2021", params={"lang": "nl"}).json()
        assert again["title"] == "Een andere titel"


def test_response_cache_is_bounded() -> None:
    cache = ResponseCache(max_entries=2, max_bytes=1600)
    for n in range(3):
        cache.put(f'"{n}"', Rendered(b"x" * 10, []))
    assert cache.get('"0"') is None
    assert cache.get('"2"') is not None
    cache.put('"big"', Rendered(b"x" * 200, []))  # over 1/16 of the budget: not kept
    assert cache.get('"big"') is None


def test_repeated_requests_are_replayed_without_touching_the_database(
    client: TestClient,
) -> None:
    url = "/events?type=coup&limit=3"
    first = client.get(url)
    assert statements(client, url) == []
    again = client.get(url)
    assert again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["x-content-type-options"] == "nosniff"  # added on every replay


def test_response_cache_mb_0_renders_every_request_again(
    seeded_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESPONSE_CACHE_MB", "0")
    with TestClient(create_app(Settings(database_url=seeded_url))) as client:
        url = "/events?type=coup&limit=3"
        first = client.get(url)
        assert statements(client, url) != []
        assert client.get(url).content == first.content


@pytest.mark.parametrize("url", ["/events.csv?type=coup", "/timeline?from=2020"])
def test_streams_that_end_small_are_replayed_too(client: TestClient, url: str) -> None:
    first = client.get(url)
    assert first.headers.get("content-length") is None  # sent as a stream
    assert statements(client, url) == []
    assert client.get(url).content == first.content


def test_a_stream_larger_than_an_entry_is_passed_on_whole_and_not_kept() -> None:
    """The middleware holds a copy of a stream only while it fits one entry."""
    calls = []

    async def streaming_app(scope: Scope, receive: Receive, send: Send) -> None:
        calls.append(scope["path"])
        headers = [(b"cache-control", b"public, max-age=60")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        for n in range(3):
            await send({"type": "http.response.body", "body": b"x" * 60, "more_body": n < 2})

    middleware = ResponseCacheMiddleware(
        streaming_app, ResponseCache(max_entries=10, max_bytes=1600), probe=lambda: 1
    )

    def get() -> bytes:
        return TestClient(middleware).get("/big").content  # no lifespan: the app has none

    assert get() == get() == b"x" * 180  # 180 bytes > 1600 // 16: passed on, never kept
    assert calls == ["/big", "/big"]


def test_identical_requests_in_flight_are_rendered_once() -> None:
    """A second identical request waits for the first and gets its bytes; a third, which
    differs, is rendered on its own."""
    calls: list[bytes] = []

    async def slow_app(scope: Scope, receive: Receive, send: Send) -> None:
        calls.append(scope["query_string"])
        await asyncio.sleep(0.2)
        headers = [(b"cache-control", b"public, max-age=60")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"page " + scope["query_string"]})

    middleware = ResponseCacheMiddleware(
        slow_app, ResponseCache(max_entries=10, max_bytes=1600), probe=lambda: 1
    )

    async def get(query: bytes) -> bytes:
        sent: list[Message] = []

        async def receive() -> Message:
            return {"type": "http.request"}

        async def send(message: Message) -> None:
            sent.append(message)

        scope = {"type": "http", "method": "GET", "scheme": "http", "path": "/events"}
        await middleware(scope | {"query_string": query, "headers": []}, receive, send)
        return b"".join(m.get("body", b"") for m in sent[1:])

    async def together() -> list[bytes]:
        return list(await asyncio.gather(get(b"a=1"), get(b"a=1"), get(b"a=2")))

    with ThreadPoolExecutor(1) as thread:  # a loop of its own, whatever runs in this one
        bodies = thread.submit(asyncio.run, together()).result()
    assert bodies == [b"page a=1", b"page a=1", b"page a=2"]
    assert sorted(calls) == [b"a=1", b"a=2"]


def test_a_finished_render_leaves_no_request_behind_it_to_wait_for() -> None:
    """Each burst of identical requests for a response that is not kept renders it once at
    a time: the second request waits for the first's status line, in the second burst as
    in the first, so a render that ended left nothing behind."""
    rendering: list[int] = []
    gate = asyncio.Event()

    async def gated_app(scope: Scope, receive: Receive, send: Send) -> None:
        rendering.append(1)
        await gate.wait()
        headers = [(b"cache-control", b"no-store")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"page"})
        rendering.pop()

    middleware = ResponseCacheMiddleware(
        gated_app, ResponseCache(max_entries=10, max_bytes=1600), probe=lambda: 1
    )

    async def get() -> None:
        async def receive() -> Message:
            return {"type": "http.request"}

        async def send(message: Message) -> None:
            pass

        scope = {"type": "http", "method": "GET", "scheme": "http", "path": "/events"}
        await middleware(scope | {"query_string": b"", "headers": []}, receive, send)

    async def burst() -> int:
        """How many of two identical requests render at once while the first is held."""
        gate.clear()
        both = asyncio.gather(get(), get())
        for _ in range(100):  # let both run as far as they can without the gate
            await asyncio.sleep(0)
        at_once = len(rendering)
        gate.set()
        await both
        return at_once

    async def bursts() -> list[int]:
        return [await burst(), await burst()]

    with ThreadPoolExecutor(1) as thread:  # a loop of its own, whatever runs in this one
        assert thread.submit(asyncio.run, bursts()).result() == [1, 1]
    assert rendering == []


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ({"Accept-Language": "nl"}, {"Accept-Language": "fr"}),
        ({"Accept": "application/json"}, {"Accept": "application/geo+json"}),
        ({"Accept-Encoding": "identity"}, {"Accept-Encoding": "gzip"}),
    ],
)
def test_languages_representations_and_encodings_never_share_an_entry(
    client: TestClient, one: dict[str, str], other: dict[str, str]
) -> None:
    url = "/events?limit=20&importance=3"
    shown = ("content-language", "content-type", "content-encoding", "etag")

    def seen(headers: dict[str, str]) -> tuple[object, ...]:
        response = client.get(url, headers=headers)
        return response.content, *(response.headers.get(h) for h in shown)

    first = seen(one), seen(other)
    assert first[0] != first[1]
    assert (seen(one), seen(other)) == first  # replayed, each to its own kind of request


def test_errors_and_revalidations_always_reach_the_app(client: TestClient) -> None:
    client.get("/events/no-such-event")
    assert statements(client, "/events/no-such-event") != []  # the app ran again
    assert client.get("/events/no-such-event").status_code == 404
    etag = client.get("/events?limit=2").headers["etag"]
    revalidated = client.get("/events?limit=2", headers={"If-None-Match": etag})
    assert revalidated.status_code == 304
