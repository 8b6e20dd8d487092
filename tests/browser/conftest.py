"""A live server and a headless Debian Chromium driven by Playwright (no browser download)."""

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from app.config import Settings
from app.main import create_app
from tests.conftest import missing

HERE = Path(__file__).resolve().parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
TIMELINEJS = HERE / "node_modules" / "@knight-lab" / "timelinejs" / "dist" / "js" / "timeline.js"
# Chromium's own background traffic would be refused on a closed network; keep it quiet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def base_url(seeded_url: str) -> Iterator[str]:
    """The app on a real port, with the test pages under `/_test`."""
    api = create_app(Settings(database_url=seeded_url))
    app = Starlette(routes=[Mount("/_test", StaticFiles(directory=HERE)), Mount("/", api)])
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        missing(f"Chromium at {CHROMIUM}", "install it with `apt-get install chromium`")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def timelinejs() -> Path:
    """The TimelineJS script the test page loads."""
    if not TIMELINEJS.exists():
        missing(f"TimelineJS at {TIMELINEJS}", "install it with `npm ci --prefix tests/browser`")
    return TIMELINEJS


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    """A fresh page that may reach the test server only: any other request fails the test."""
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    elsewhere: list[str] = []

    def only_local(route, request):  # type: ignore[no-untyped-def]
        if request.url.startswith(base_url):
            route.continue_()
        else:
            elsewhere.append(request.url)
            route.abort()

    page.route("**/*", only_local)
    yield page
    context.close()
    assert elsewhere == [], f"the page tried to reach the network: {elsewhere}"
