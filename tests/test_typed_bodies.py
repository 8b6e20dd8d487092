"""TimelineJS and GeoJSON bodies match the types the OpenAPI document gives them.

Generated clients type these documents from `app/schemas/formats.py`; real responses of
each route and media type are checked against the document the app serves, and a body
with a key the schema does not declare, or without one it requires, fails the check.
"""

from typing import Any

import httpx2
import orjson
import pytest
import schemathesis
from fastapi.testclient import TestClient
from schemathesis.openapi.checks import JsonSchemaError

from app.config import Settings
from app.main import create_app

GEOJSON = {"Accept": "application/geo+json"}
NOTHING = "zzqnothingmatches"  # a word no record holds


@pytest.fixture(scope="module")
def api_schema(seeded_url: str) -> Any:
    return schemathesis.openapi.from_asgi(
        "/openapi.json", create_app(Settings(database_url=seeded_url))
    )


CASES = [
    ("/timeline", "/timeline", {}),
    ("/timeline", "/timeline?actor=takuba&lang=nl&group=type", {}),
    ("/timeline", "/timeline?from=1990&to=1991&lang=fr", {}),  # the "nothing matched" slide
    ("/events.geojson", "/events.geojson?lang=nl", {}),
    ("/events.geojson", f"/events.geojson?q={NOTHING}", {}),
    ("/events", "/events?q=takuba&sort=relevance", GEOJSON),
    ("/actors/{actor_id}/events", "/actors/takuba/events?lang=fr", GEOJSON),
]


@pytest.mark.parametrize(("operation", "url", "headers"), CASES)
def test_real_bodies_match_their_documented_schema(
    api_schema: Any, client: TestClient, operation: str, url: str, headers: dict[str, str]
) -> None:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    api_schema[operation]["GET"].validate_response(response)


def _tampered(response: httpx2.Response, change: Any) -> httpx2.Response:
    body = orjson.loads(response.content)
    change(body)
    content_type = response.headers["content-type"]
    tampered = httpx2.Response(
        200,
        content=orjson.dumps(body),
        headers={"content-type": content_type},
        request=response.request,
    )
    tampered.elapsed = response.elapsed
    return tampered


@pytest.mark.parametrize(
    ("operation", "url", "change"),
    [
        ("/timeline", "/timeline", lambda body: body["events"][0].update(media={})),
        ("/timeline", "/timeline", lambda body: body["eras"][0].pop("end_date")),
        ("/events.geojson", "/events.geojson", lambda body: body["features"][0].pop("geometry")),
        (
            "/events.geojson",
            "/events.geojson",
            lambda body: body["features"][0]["geometry"].update(coordinates=[1.0]),
        ),
    ],
)
def test_a_body_that_strays_from_its_type_fails_the_check(
    api_schema: Any, client: TestClient, operation: str, url: str, change: Any
) -> None:
    tampered = _tampered(client.get(url), change)
    with pytest.raises(JsonSchemaError):
        api_schema[operation]["GET"].validate_response(tampered)
