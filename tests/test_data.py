"""The shipped data: valid, schema in step with the models, quotes true to the article."""

import json

from app.loading.exporter import json_schema
from app.loading.validation import validate
from tests.conftest import DATA_DIR, missing, shipped_files

ARTICLE = DATA_DIR.parent.parent / "shared" / "sources" / "000_bb4ad67e1b753670.txt"
ARTICLE_SOURCE = "nrc-2021-06-barkhane"


def test_checked_in_schema_matches_the_models() -> None:
    checked_in = json.loads((DATA_DIR / "schema.json").read_text(encoding="utf-8"))
    assert checked_in == json_schema(), "run `sahel-timeline export data` after a schema change"


def test_every_shipped_file_validates() -> None:
    for path in shipped_files():
        validate([path])


def _article_quotes() -> list[str]:
    quotes = []
    for path in shipped_files():
        text = path.read_text(encoding="utf-8")
        document = json.loads(text)

        def walk(node: object) -> None:
            if isinstance(node, dict):
                if node.get("source") == ARTICLE_SOURCE and "quote" in node:
                    quotes.append(node["quote"])
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(document)
    return quotes


def test_article_quotes_are_verbatim() -> None:
    if not ARTICLE.exists():
        missing(f"the source article at {ARTICLE}", f"copy the source texts to {ARTICLE.parent}")
    article = " ".join(ARTICLE.read_text(encoding="utf-8").split())
    quotes = _article_quotes()
    assert len(quotes) > 10
    for quote in quotes:
        assert " ".join(quote.split()) in article, quote


def test_coordinates_belong_to_a_named_place() -> None:
    events = json.loads((DATA_DIR / "events.json").read_text(encoding="utf-8"))["events"]
    located = [e["location"] for e in events if "latitude" in e.get("location", {})]
    assert located
    for location in located:
        assert location["place"] not in {"Mali", "France", "Sahel"}, "a country has no centre"
