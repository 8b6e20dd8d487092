"""The change feed as Atom (RFC 4287), for people who follow corrections in a feed reader."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree as ET

from sqlalchemy import Row

from app.models import RecordVersion, Release
from app.vocabulary import Language

NS = "http://www.w3.org/2005/Atom"
FEED_TITLE = {
    Language.EN: "Sahel Timeline: changes",
    Language.NL: "Sahel-tijdlijn: wijzigingen",
    Language.FR: "Chronologie du Sahel : modifications",
}
CHANGE_WORDS = {
    Language.EN: {"created": "added", "updated": "corrected", "deleted": "removed"},
    Language.NL: {"created": "toegevoegd", "updated": "gecorrigeerd", "deleted": "verwijderd"},
    Language.FR: {"created": "ajouté", "updated": "corrigé", "deleted": "supprimé"},
}


def _time(moment: datetime) -> str:
    return moment.replace(tzinfo=moment.tzinfo or UTC).isoformat().replace("+00:00", "Z")


def _label(content: dict[str, Any] | None, record_id: str, lang: Language) -> str:
    """The record's title or name in `lang`, as its version holds it; its id if none."""
    text = (content or {}).get("title") or (content or {}).get("name")
    if isinstance(text, dict):
        return str(text.get(lang.value) or text.get("en") or record_id)
    return str(text or record_id)


def feed(rows: Sequence[Row[RecordVersion, Release]], lang: Language, base: str) -> bytes:
    """An Atom feed with one entry per change, newest first."""
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}feed", {"xml:lang": lang.value})
    ET.SubElement(root, f"{{{NS}}}title").text = FEED_TITLE[lang]
    ET.SubElement(root, f"{{{NS}}}id").text = f"{base}/changes.atom"
    ET.SubElement(root, f"{{{NS}}}link", {"rel": "self", "href": f"{base}/changes.atom"})
    updated = rows[0][1].created_at if rows else datetime(1970, 1, 1, tzinfo=UTC)
    ET.SubElement(root, f"{{{NS}}}updated").text = _time(updated)
    author = ET.SubElement(root, f"{{{NS}}}author")
    ET.SubElement(author, f"{{{NS}}}name").text = "Sahel Timeline"
    for version, release in rows:
        entry = ET.SubElement(root, f"{{{NS}}}entry")
        label = _label(version.content, version.record_id, lang)
        title = f"{label}: {CHANGE_WORDS[lang][version.change]}"
        if version.fields:
            title += f" ({', '.join(version.fields)})"
        ET.SubElement(entry, f"{{{NS}}}title").text = title
        ET.SubElement(entry, f"{{{NS}}}id").text = f"{base}/changes/{version.id}"
        history = f"{base}/{version.kind}s/{version.record_id}/history"
        if version.kind != "source":
            ET.SubElement(entry, f"{{{NS}}}link", {"href": history})
        ET.SubElement(entry, f"{{{NS}}}updated").text = _time(release.created_at)
        ET.SubElement(entry, f"{{{NS}}}summary").text = f"{release.number}: {release.note}"
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document
