"""Structured logs: one JSON object per line, and one line per request.

The request line has method, path, status and duration; never the query string, which may
carry what other users searched for.
"""

import logging
import logging.config
import time

from starlette.types import Message, Receive, Scope, Send

from app.middleware.base import HTTPMiddleware

access = logging.getLogger("app.access")


def configure(level: str) -> None:
    """Send every log record to stderr as JSON."""
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {
                "json": {
                    "()": "pythonjsonlogger.orjson.OrjsonFormatter",
                    "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
                    "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
                }
            },
            "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json"}},
            "root": {"handlers": ["stderr"], "level": level},
            # uvicorn's own access log would write the full URL: this module logs requests.
            "loggers": {"uvicorn.access": {"level": "WARNING"}},
        }
    )


class AccessLogMiddleware(HTTPMiddleware):
    """Logs method, path, status and duration of every HTTP request."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one HTTP request."""
        started = time.perf_counter()
        status = 500

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            if access.isEnabledFor(logging.INFO):
                # Built directly rather than by `access.info`, which would walk the stack
                # for the caller's file and line on every request: this line, every time.
                fields = {
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                }
                access.handle(
                    access.makeRecord(
                        access.name, logging.INFO, __file__, 0, "request", (), None, extra=fields
                    )
                )
