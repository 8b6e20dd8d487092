"""The shipped data: valid, schema in step with the models, coordinates on named places.

Quotes are checked against their source texts by `sahel-timeline check` (tests/test_check.py)."""

import json

from app.loading.exporter import json_schema
from app.loading.validation import validate
from tests.conftest import DATA_DIR, shipped_files


def test_checked_in_schema_matches_the_models() -> None:
    checked_in = json.loads((DATA_DIR / "schema.json").read_text(encoding="utf-8"))
    assert checked_in == json_schema(), "run `sahel-timeline export data` after a schema change"


def test_every_shipped_file_validates() -> None:
    for path in shipped_files():
        validate([path])


def test_coordinates_belong_to_a_named_place() -> None:
    events = json.loads((DATA_DIR / "events.json").read_text(encoding="utf-8"))["events"]
    located = [e["location"] for e in events if "latitude" in e.get("location", {})]
    assert located
    for location in located:
        assert location["place"] not in {"Mali", "France", "Sahel"}, "a country has no centre"
