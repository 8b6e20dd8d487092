"""The application factory: FastAPI, middleware, routers and error handlers."""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette_compress import CompressMiddleware, add_compress_type

from app import __version__, event_json, openapi
from app.api import actors, docs, events, facets, meta, page, releases, vocabularies
from app.api.conditional import install_not_modified_handler
from app.api.exchange_route import ExchangeRoute
from app.api.params import reject_repeated
from app.config import Settings, get_settings
from app.db import make_engine, make_sessionmaker
from app.errors import install_error_handlers
from app.middleware import access_log
from app.middleware.response_cache import DataVersionProbe, ResponseCache, ResponseCacheMiddleware
from app.middleware.security import RequestGuardMiddleware, SecurityHeadersMiddleware

DESCRIPTION = """
A curated, sourced timeline of France's military engagement in the Sahel (Serval, Barkhane,
Takuba, the Mali coups of 2020 and 2021) served as JSON for frontends.

Every event carries its actors with roles, figures and the sources that support it, with
the verbatim quote. Dates keep their precision (`2013`, `2020-03`, `2021-05-24`). Errors are
RFC 9457 `application/problem+json`. Names, titles and summaries come in English, Dutch and
French (`?lang=` or `Accept-Language`).
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for `settings` (the environment's by default)."""
    settings = settings or get_settings()
    event_json.check_shapes()  # a response field the SQL does not build stops the start
    access_log.configure(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # What exists now (modules, the app, compiled statements) lives as long as the
        # process: out of the collector's sight, its full collections stop walking it.
        gc.freeze()
        yield
        app.state.engine.dispose()
        app.state.probe_engine.dispose()

    app = FastAPI(
        title=page.NAME,
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served by app.api.docs from local assets instead of a CDN
        redoc_url=None,
        dependencies=[Depends(reject_repeated)],
    )
    app.state.settings = settings
    # Built here, not at import: each worker process calls this and opens its own pools.
    app.state.engine = make_engine(
        settings.read_url,
        read_only=True,
        statement_timeout_ms=settings.statement_timeout_ms,
        pool_size=settings.db_pool_size,
        pre_ping=False,  # a read on a dropped connection runs again (app.api.exchange_route)
    )
    # The probe runs on the event loop, one at a time: one connection is all it uses.
    app.state.probe_engine = make_engine(settings.read_url, read_only=True, pool_size=1)
    app.state.sessionmaker = make_sessionmaker(app.state.engine)

    # Innermost first: each add_middleware wraps everything added before it. Requests pass
    # the access log, security headers, CORS, the guard and the response cache before
    # compression and the app.
    add_compress_type("text/csv")  # not in the library's default list
    app.add_middleware(CompressMiddleware, minimum_size=1000)  # zstd, brotli, gzip over 1 KB
    # Just inside the guard: a replayed response skips compression and the app. Turned off,
    # it is left out: its data version probe would cost every request a statement for nothing.
    if settings.response_cache_mb:
        cache = ResponseCache(
            max_entries=10_000, max_bytes=settings.response_cache_mb * 1024 * 1024
        )
        probe = DataVersionProbe(app.state.probe_engine)
        app.add_middleware(ResponseCacheMiddleware, cache=cache, probe=probe)
    app.add_middleware(RequestGuardMiddleware)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "HEAD", "OPTIONS"],
        allow_headers=["Accept", "Accept-Language", "If-None-Match", "If-Modified-Since"],
        expose_headers=["Link", "Content-Language", "ETag", "Last-Modified", "Dataset-Release"],
        max_age=3600,
    )
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(access_log.AccessLogMiddleware)
    install_error_handlers(app)
    install_not_modified_handler(app)
    openapi.install(app)
    # Matched in this order: the most requested first, as each request tries the routes
    # until one matches.
    for router in (
        facets.router,  # before `/events/{event_id}`, which `facets` would match
        events.router,
        actors.router,
        page.router,
        meta.router,
        vocabularies.router,
        releases.router,
        docs.router,
    ):
        _add_routes(app, router)
    # After the API's routes: each request is matched against the routes in order, and
    # only the page's and the docs' files start with /static.
    app.mount("/static/page", StaticFiles(directory=meta.PAGE_DIR), name="page")
    app.mount("/static/docs/assets", StaticFiles(directory=docs.ASSETS), name="docs-assets")
    app.mount("/static/docs", StaticFiles(directory=docs.PAGES), name="docs")
    return app


def _add_routes(app: FastAPI, router: APIRouter) -> None:
    """Add `router`'s routes to the app's own list, as if they had been declared on the app.

    `include_router` keeps each router as one nested route, which every request walks
    through, with FastAPI's bookkeeping per route, until one matches (and a 404 walks them
    all twice, the second time for a slash redirect): that was half of the cost of a 404.
    """
    for route in router.routes:
        assert isinstance(route, APIRoute), f"{route!r}: only API routes are copied"
        app.router.add_api_route(
            route.path,
            route.endpoint,
            response_model=route.response_model,
            tags=route.tags,
            dependencies=route.dependencies,
            description=route.description,
            responses=route.responses,
            methods=route.methods,
            include_in_schema=route.include_in_schema,
            response_class=route.response_class,
            name=route.name,
            route_class_override=ExchangeRoute,
        )
