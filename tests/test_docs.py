"""The OpenAPI document and the interactive docs, which must work with no internet."""

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_reference_only_local_assets(client: TestClient, page: str) -> None:
    html = client.get(page).text
    assets = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert assets, "the page loads no assets at all"
    for asset in assets:
        assert asset.startswith("/"), f"{page} loads {asset} from elsewhere"
        assert client.get(asset).status_code == 200, asset
    assert "fonts.googleapis" not in html
    assert re.search(r"https?://", html.replace("http://www.w3.org", "")) is None


def test_openapi_is_3_1(client: TestClient) -> None:
    assert client.get("/openapi.json").json()["openapi"].startswith("3.1")


def _schema_fields(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (name, field, definition)
        for name, schema in spec["components"]["schemas"].items()
        for field, definition in schema.get("properties", {}).items()
    ]


def test_every_operation_and_parameter_is_described(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert operation.get("description") or operation.get("summary"), (method, path)
            for parameter in operation.get("parameters", []):
                where = (method, path, parameter["name"])
                assert parameter.get("description"), where
                schema = parameter["schema"]
                has_example = "examples" in schema or "example" in parameter or "enum" in schema
                assert has_example or "$ref" in str(schema) or "default" in schema, where


def test_every_response_field_is_described(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    skipped = {"HTTPValidationError", "ValidationError"}  # FastAPI's, never sent: see Problem
    for name, field, definition in _schema_fields(spec):
        if name in skipped:
            continue
        assert definition.get("description"), f"{name}.{field}"


GUARDED = [
    ("a 5 KB URL", {"params": {"q": "a" * 5000}}, 414),
    ("a body", {"content": b"{}"}, 413),
    ("9 KB of headers", {"headers": {"X-Padding": "a" * 9000}}, 431),
    ("a repeated parameter", {"params": [("lang", "en"), ("lang", "nl")]}, 400),
]


@pytest.mark.parametrize(("_what", "request_args", "status"), GUARDED)
def test_every_operation_documents_the_statuses_it_sends(
    client: TestClient, _what: str, request_args: dict[str, Any], status: int
) -> None:
    """A client generated from the document knows every status, on every operation."""
    spec = client.get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        concrete = path.replace("{event_id}", "mali-coup-2021").replace("{actor_id}", "takuba")
        for method, operation in operations.items():
            response = client.request(method.upper(), concrete, **request_args)
            assert response.status_code == status, (path, response.text)
            assert str(status) in operation["responses"], (method, path, status)
            assert {"304", "406", "503"} <= set(operation["responses"]), (method, path)
