"""The route class of the endpoints that take an `Exchange`: their parameters validated
straight into their models, without FastAPI's dependency solving on every request.

That solving (the app's dependency, the exchange's, its parameter model, the path) was
the largest single cost of a request that reads one stored row. FastAPI still reads each
endpoint's signature for routing and the OpenAPI document; only the request handler
differs. It checks what the dependencies would, in their order (a repeated parameter,
then the query model, then the path), and raises the same `RequestValidationError`, so
every 400 reads as before. An endpoint of another shape keeps FastAPI's handler.

It also runs a read again, once, when the database server dropped its connection: the
request engine does not ping each connection before use, a round trip per request.
"""

from collections.abc import Callable, Coroutine, Sequence
from typing import Any, get_args, get_origin, get_type_hints

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy.exc import DBAPIError
from starlette.concurrency import run_in_threadpool

from app.api.params import check_repeated, list_fields, query_values
from app.api.respond import Exchange, open_exchange

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


def _errors(error: ValidationError, *location: str) -> list[dict[str, Any]]:
    """`error`'s items located as FastAPI locates them: `("query", "limit")`."""
    return [{**item, "loc": (*location, *item["loc"])} for item in error.errors(include_url=False)]


class _Shape:
    """What an endpoint takes: one exchange (its parameter model) and path parameters."""

    def __init__(self, endpoint: Callable[..., Any]) -> None:
        hints = get_type_hints(endpoint, include_extras=True)
        hints.pop("return", None)
        self.exchange = ""
        self.model: type[BaseModel] | None = None
        self.path: dict[str, TypeAdapter[Any]] = {}
        for name, hint in hints.items():
            kind = get_args(hint)[0] if get_origin(hint) is not None else hint
            if get_origin(kind) is Exchange:
                self.exchange, self.model = name, get_args(kind)[0]
            else:
                self.path[name] = TypeAdapter(hint)

    def fits(self, path_names: Sequence[str], dependencies: int) -> bool:
        """Whether the endpoint takes exactly an exchange and the route's path parameters,
        beside the app's one dependency (`reject_repeated`)."""
        return (
            self.model is not None
            and sorted(self.path) == sorted(path_names)
            and (dependencies == 2)
        )


class ExchangeRoute(APIRoute):
    """An API route whose exchange endpoints skip FastAPI's dependency solving."""

    def get_route_handler(self) -> Handler:
        shape = _Shape(self.endpoint)
        path_names = [field.name for field in self.dependant.path_params]
        if not shape.fits(path_names, len(self.dependant.dependencies)):
            return super().get_route_handler()
        endpoint, model, exchange_name = self.endpoint, shape.model, shape.exchange
        assert model is not None
        adapter, listed, path = TypeAdapter(model), list_fields(model), shape.path

        async def handle(request: Request) -> Response:
            query = request.query_params
            check_repeated(query)
            errors: list[dict[str, Any]] = []
            params: Any = None
            try:
                params = adapter.validate_python(query_values(query, listed))
            except ValidationError as error:
                errors += _errors(error, "query")
            arguments: dict[str, Any] = {}
            for name, path_adapter in path.items():
                try:
                    arguments[name] = path_adapter.validate_python(request.path_params[name])
                except ValidationError as error:
                    errors += _errors(error, "path", name)
            if errors:
                raise RequestValidationError(errors)
            arguments[exchange_name] = open_exchange(request, params)
            try:
                response: Response = await run_in_threadpool(endpoint, **arguments)
            except DBAPIError as error:
                if not error.connection_invalidated:
                    raise
                # The server dropped the connection (a restart, a failover), and the pool
                # every connection it held then: the read runs again, on a new one.
                arguments[exchange_name] = open_exchange(request, params)
                response = await run_in_threadpool(endpoint, **arguments)
            return response

        return handle
