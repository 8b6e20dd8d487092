"""The OpenAPI document as the API really behaves: every status an operation can send.

FastAPI documents validation errors as 422 `application/json`; this service answers 400
`application/problem+json` instead, and the request guard and the database add their own
statuses, so the document is rewritten once, when first requested.
"""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from app.errors import PROBLEM_JSON
from app.middleware.security import MAX_HEADER_BYTES, MAX_URL_BYTES
from app.schemas import FeatureCollection, Problem, Timeline

REF_TEMPLATE = "#/components/schemas/{model}"
PROBLEM_REF = {"$ref": REF_TEMPLATE.format(model="Problem")}
# Bodies that other formats stream (TimelineJS, GeoJSON): no route's response model names
# them, so their schemas are added here for the references in `app.api.respond`.
DOCUMENTS = (FeatureCollection, Timeline)
# Statuses any operation can send: the request guard (400, 413, 414, 431) answers before
# routing, negotiation 406, and the database 503.
COMMON_ERRORS = {
    "400": "A parameter is invalid, repeated or unknown, names an actor, tag or country the "
    "data does not hold, or the URL is not valid UTF-8.",
    "406": "None of the representations is acceptable.",
    "413": "The request has a body; this API takes none.",
    "414": f"The URL is longer than {MAX_URL_BYTES} bytes.",
    "431": f"The request headers exceed {MAX_HEADER_BYTES} bytes.",
    "503": "The database cannot answer right now; retry after `Retry-After` seconds. If it "
    "is missing or has no tables, `detail` says so: run `sahel-timeline init`.",
}
# What an operation that takes `release` adds: the release may not exist.
NO_RELEASE = "No such record, or (naming `release`) no such release or one that cannot be read."


def _rewrite(spec: dict[str, Any]) -> dict[str, Any]:
    components = spec.setdefault("components", {}).setdefault("schemas", {})
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    for model in (Problem, *DOCUMENTS):
        schema = model.model_json_schema(mode="serialization", ref_template=REF_TEMPLATE)
        # A definition FastAPI made for a response model stays as it made it.
        for name, definition in schema.pop("$defs", {}).items():
            components.setdefault(name, definition)
        components[model.__name__] = schema
    for operations in spec["paths"].values():
        for operation in operations.values():
            responses = operation["responses"]
            responses.pop("422", None)
            for status, description in COMMON_ERRORS.items():
                responses.setdefault(status, {"description": description})
            if any(p["name"] == "release" for p in operation.get("parameters", [])):
                responses.setdefault("404", {"description": NO_RELEASE})
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
