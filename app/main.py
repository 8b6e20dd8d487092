"""The application factory: FastAPI, middleware, routers and error handlers."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline

from app import __version__
from app.api import actors, events, meta
from app.config import Settings, get_settings
from app.db import make_engine, make_sessionmaker
from app.errors import install_error_handlers

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
    logging.basicConfig(level=settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.engine.dispose()

    app = FastAPIOffline(
        title=meta.NAME,
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        static_url="/static/docs",
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url)
    app.state.sessionmaker = make_sessionmaker(app.state.engine)

    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "HEAD", "OPTIONS"],
        allow_headers=["Accept", "Accept-Language", "If-None-Match"],
        expose_headers=["Link", "Content-Language"],
        max_age=3600,
    )
    install_error_handlers(app)
    app.include_router(meta.router)
    app.include_router(events.router)
    app.include_router(actors.router)
    return app
