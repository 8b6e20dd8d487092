"""The OpenAPI document as the API really behaves: errors are problem+json, never 422.

FastAPI documents validation errors as 422 `application/json`; this service answers 400
`application/problem+json` instead (and 503 when the database cannot answer), so the
document is rewritten once, when first requested.
"""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from app.errors import PROBLEM_JSON
from app.schemas import Problem

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
COMMON_ERRORS = {
    "400": "A parameter is invalid, repeated or unknown.",
    "406": "None of the representations is acceptable.",
    "503": "The database cannot answer right now; retry after `Retry-After` seconds.",
}


def _rewrite(spec: dict[str, Any]) -> dict[str, Any]:
    components = spec.setdefault("components", {}).setdefault("schemas", {})
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    components["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    for schema in components["Problem"].pop("$defs", {}).items():
        components[schema[0]] = schema[1]
    for operations in spec["paths"].values():
        for operation in operations.values():
            responses = operation["responses"]
            responses.pop("422", None)
            for status, description in COMMON_ERRORS.items():
                responses.setdefault(status, {"description": description})
            for status, response in responses.items():
                if int(status) >= 400:
                    response["content"] = {PROBLEM_JSON: {"schema": PROBLEM_REF}}
    return spec


def install(app: FastAPI) -> None:
    """Serve the rewritten document at `/openapi.json`."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _rewrite(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    description=app.description,
                    routes=app.routes,
                )
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
