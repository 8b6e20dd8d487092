"""One error type and one set of handlers: every 4xx/5xx is RFC 9457 problem details."""

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DatabaseError, DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app import db_faults, explain
from app.schemas import Problem, ProblemItem

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger(__name__)


class ProblemError(Exception):
    """An error a client can act on; raised in queries and dependencies, rendered once here."""

    status: HTTPStatus = HTTPStatus.BAD_REQUEST
    headers: dict[str, str] = {}

    def __init__(self, detail: str, *, errors: list[ProblemItem] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []


class BadRequest(ProblemError):
    """The request is malformed: a bad parameter, cursor or value."""

    @classmethod
    def for_param(cls, name: str, message: str, location: str = "query") -> "BadRequest":
        """A 400 naming the one parameter at fault."""
        item = ProblemItem(location=location, name=name, message=message)
        return cls(f"{location} parameter {name!r}: {message}", errors=[item])


class NotFound(ProblemError):
    """The addressed resource does not exist."""

    status = HTTPStatus.NOT_FOUND


class Gone(ProblemError):
    """The addressed record existed and was deleted; its history says when and why."""

    status = HTTPStatus.GONE

    def __init__(self, detail: str, history: str) -> None:
        super().__init__(f"{detail}; its history: {history}")
        self.headers = {"Link": f'<{history}>; rel="version-history"'}


class Unavailable(ProblemError):
    """The database cannot answer right now; clients may retry shortly."""

    status = HTTPStatus.SERVICE_UNAVAILABLE
    headers = {"Retry-After": "5"}


def problem_response(
    request: Request,
    status: int,
    detail: str,
    errors: list[ProblemItem] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """Render a problem; the only place the error shape is built."""
    problem = Problem(
        type="about:blank",
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=request.url.path,
        errors=errors or [],
    )
    return JSONResponse(
        problem.model_dump(), status_code=status, media_type=PROBLEM_JSON, headers=headers
    )


def _validation_items(exc: RequestValidationError) -> list[ProblemItem]:
    items = []
    for error in exc.errors():
        location, *rest = [str(part) for part in error["loc"]] or ["request"]
        name = rest[0] if rest else location  # `type.0` is still parameter `type`
        message = explain.message(dict(error), name)
        items.append(ProblemItem(location=location, name=name, message=message))
    return items


def install_error_handlers(app: FastAPI) -> None:
    """Route every exception to a problem response; none leaks a stack trace."""

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(request, exc.status, exc.detail, exc.errors, exc.headers or None)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        items = _validation_items(exc)
        detail = "; ".join(f"{i.location} parameter {i.name!r}: {i.message}" for i in items)
        return problem_response(request, HTTPStatus.BAD_REQUEST, detail, items)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        if exc.status_code == HTTPStatus.NOT_FOUND and detail == "Not Found":
            detail = f"no resource at {request.url.path}"
        headers = dict(exc.headers) if exc.headers else None
        if exc.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
            headers = {"Allow": "GET, HEAD, OPTIONS"}  # every route here is read-only
            detail = f"{request.method} is not allowed: this API only reads"
        return problem_response(request, exc.status_code, detail, headers=headers)

    @app.exception_handler(PoolTimeoutError)
    async def _busy(request: Request, exc: PoolTimeoutError) -> JSONResponse:
        log.error("no database connection free: %s", exc)
        return await _problem(request, Unavailable("the service is too busy right now"))

    @app.exception_handler(DBAPIError)
    async def _database(request: Request, exc: DBAPIError) -> JSONResponse:
        if (
            not isinstance(exc, OperationalError | InterfaceError)
            and type(exc) is not DatabaseError
            and db_faults.classify(exc) is not db_faults.Fault.NO_TABLES
        ):
            return await _unexpected(request, exc)  # a bug in a query, not an outage
        log.error("database unavailable: %s", exc.orig)
        return await _problem(request, Unavailable(db_faults.api_detail(exc)))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return problem_response(
            request, HTTPStatus.INTERNAL_SERVER_ERROR, "an unexpected error occurred"
        )
