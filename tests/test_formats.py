"""TimelineJS, GeoJSON, CSV and JSON-LD, each checked with a parser made for it."""

import csv
import html
import io
import json
from typing import Any

import geojson
import pytest
from fastapi.testclient import TestClient
from pyld import jsonld

SCHEMA_ORG_CONTEXT = {"@context": {"@vocab": "https://schema.org/"}}


def _offline_loader(url: str, _options: dict[str, Any] | None = None) -> dict[str, Any]:
    """schema.org's context without the network: its vocabulary is all expansion needs here."""
    assert url.rstrip("/") in {"https://schema.org", "http://schema.org"}, url
    return {"contextUrl": None, "documentUrl": url, "document": SCHEMA_ORG_CONTEXT}


def expand(document: dict[str, Any]) -> dict[str, Any]:
    expanded: list[dict[str, Any]] = jsonld.expand(document, {"documentLoader": _offline_loader})
    assert len(expanded) == 1
    return expanded[0]


class TestTimelineJS:
    def test_one_slide_per_event_with_stable_ids(self, client: TestClient) -> None:
        timeline = client.get("/timeline").json()
        events = client.get("/events", params={"limit": 500}).json()["items"]
        assert [s["unique_id"] for s in timeline["events"]] == [e["id"] for e in events]
        assert timeline["title"]["text"]["headline"] == "France in the Sahel"

    def test_dates_are_parts_at_their_precision(self, client: TestClient) -> None:
        slides = {s["unique_id"]: s for s in client.get("/timeline").json()["events"]}
        assert slides["mali-coup-2021"]["start_date"] == {"year": 2021, "month": 5, "day": 24}
        assert slides["mali-coup-2021"]["display_date"] == "24 May 2021?"
        assert "display_date" not in slides["barkhane-end-announced"]
        assert slides["takuba-full-capability"]["start_date"] == {"year": 2021, "month": 4}
        assert slides["takuba-full-capability"]["display_date"] == "April 2021"
        deaths = slides["french-military-deaths-2013-2021"]
        assert deaths["start_date"] == {"year": 2013}
        assert deaths["end_date"] == {"year": 2021, "month": 6}
        assert deaths["display_date"] == "2013 – June 2021"

    def test_text_is_escaped_and_cites_the_source(self, client: TestClient) -> None:
        slides = {s["unique_id"]: s for s in client.get("/timeline").json()["events"]}
        text = slides["goita-declared-president"]["text"]["text"]
        assert "Assimi Goïta (subject)" in text
        assert '<q lang="en">Former vice president Assimi Goita' in text
        assert "last week&#x27;s revolt" in text  # the apostrophe in the quote is escaped

    def test_grouped_by_type_on_request(self, client: TestClient) -> None:
        timeline = client.get("/timeline", params={"lang": "fr", "group": "type"}).json()
        groups = {s["unique_id"]: s["group"] for s in timeline["events"]}
        assert groups["mali-coup-2021"] == "Coup d&#x27;État"

    def test_grouped_by_the_operation_they_fall_in(self, client: TestClient) -> None:
        timeline = client.get("/timeline", params={"lang": "fr"}).json()
        groups = {s["unique_id"]: s.get("group") for s in timeline["events"]}
        assert groups["konna-retaken"] == "Opération Serval"
        assert groups["pau-summit"] == "Opération Barkhane"
        assert groups["mali-coup-2021"] == "Task Force Takuba"  # the innermost era under way
        assert groups["niger-coup-2023"] is None  # after every operation
        assert groups["unsc-resolution-2085"] is None  # before Serval: the unnamed row
        eras = {e["text"]["headline"]: e for e in timeline["eras"]}
        assert set(eras) == {
            "Opération Serval",
            "Opération Barkhane",
            "Task Force Takuba",
            "La MINUSMA, mission des Nations unies au Mali",
        }
        assert eras["Opération Barkhane"]["end_date"] == {"year": 2022, "month": 11, "day": 9}
        assert eras["La MINUSMA, mission des Nations unies au Mali"]["start_date"] == {
            "year": 2013,
            "month": 7,
            "day": 1,
        }

    def test_takes_the_event_filters(self, client: TestClient) -> None:
        timeline = client.get("/timeline", params={"actor": "takuba", "lang": "nl"}).json()
        expected = client.get("/events", params={"actor": "takuba"}).json()["total"]
        assert len(timeline["events"]) == expected

    def test_limit_keeps_the_first_slides(self, client: TestClient) -> None:
        everything = client.get("/timeline").json()["events"]
        first = client.get("/timeline", params={"limit": 5}).json()
        assert first["events"] == everything[:5]
        for bad in ({"limit": "0"}, {"group": "year"}):
            problem = client.get("/timeline", params=bad).json()
            assert problem["status"] == 400
            assert problem["errors"][0]["name"] == next(iter(bad))

    def test_nothing_matched_says_so_in_the_title_and_one_slide(self, client: TestClient) -> None:
        for lang, headline in (("en", "No events match"), ("fr", "Aucun événement trouvé")):
            nothing = {"from": "1990-05", "to": "1991", "lang": lang}
            timeline = client.get("/timeline", params=nothing).json()
            assert timeline["title"]["text"]["headline"] == headline
            # TimelineJS refuses a timeline without events: one slide, at the period asked.
            [slide] = timeline["events"]
            assert slide["text"]["headline"] == headline
            assert slide["start_date"] == {"year": 1990, "month": 5}

    def test_nothing_matched_without_dates_is_placed_where_the_operations_begin(
        self, client: TestClient
    ) -> None:
        timeline = client.get("/timeline", params={"q": "zzqnothingmatches"}).json()
        [slide] = timeline["events"]
        assert slide["unique_id"] == "nothing-matched"
        assert slide["start_date"] == timeline["eras"][0]["start_date"]

    def test_slides_link_their_first_source(self, client: TestClient) -> None:
        slides = client.get("/timeline").json()["events"]
        linked = 0
        for slide in slides[:12]:
            event = client.get(f"/events/{slide['unique_id']}").json()
            url = event["citations"][0]["source"]["url"]
            if url:
                assert f'<a href="{html.escape(url)}" rel="noopener">' in slide["text"]["text"]
                linked += 1
            else:
                assert "<a " not in slide["text"]["text"]
        assert linked


class TestGeoJSON:
    def test_limit_keeps_the_first_features(self, client: TestClient) -> None:
        everything = client.get("/events.geojson").json()["features"]
        first = client.get("/events.geojson", params={"limit": 3, "type": []}).json()
        assert first["features"] == everything[:3]
        assert client.get("/events.geojson", params={"limit": 0}).status_code == 400

    @pytest.mark.parametrize(
        ("path", "headers"),
        [("/events.geojson", {}), ("/events", {"Accept": "application/geo+json"})],
    )
    def test_valid_feature_collection(
        self, client: TestClient, path: str, headers: dict[str, str]
    ) -> None:
        response = client.get(path, headers=headers)
        assert response.headers["content-type"] == "application/geo+json"
        collection = geojson.loads(response.text)
        assert isinstance(collection, geojson.FeatureCollection)
        assert collection.is_valid, collection.errors()
        assert collection["features"]

    def test_points_are_lon_lat_with_list_item_properties(self, client: TestClient) -> None:
        features = client.get("/events.geojson", params={"type": "coup"}).json()["features"]
        coup = next(f for f in features if f["id"] == "mali-coup-2021")
        assert coup["geometry"] == {"type": "Point", "coordinates": [-8.072, 12.744]}
        item = client.get("/events", params={"type": "coup"}).json()["items"][1]
        assert coup["properties"] == item

    def test_only_located_events(self, client: TestClient) -> None:
        features = client.get("/events.geojson").json()["features"]
        located = [
            e for e in client.get("/events", params={"limit": 500}).json()["items"]
            if e["location"] and e["location"]["latitude"] is not None
        ]  # fmt: skip
        assert [f["id"] for f in features] == [e["id"] for e in located]


class TestCSV:
    def test_events_csv_parses_with_one_row_per_event(self, client: TestClient) -> None:
        response = client.get("/events.csv", params={"lang": "fr"})
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert response.headers["content-disposition"] == 'attachment; filename="events.csv"'
        assert "\r\n" in response.text
        rows = list(csv.DictReader(io.StringIO(response.text, newline="")))
        total = client.get("/events").json()["total"]
        assert len(rows) == total
        coup = next(r for r in rows if r["id"] == "mali-coup-2021")
        assert coup["title"] == "Second coup d'État au Mali"
        assert (coup["start"], coup["uncertain"]) == ("2021-05-24?", "true")
        assert coup["actors"].split(";")[:2] == ["assimi-goita:initiator", "fama:initiator"]
        assert coup["latitude"] == "12.744"

    def test_accept_text_csv_on_events_exports_every_match(self, client: TestClient) -> None:
        response = client.get(
            "/events",
            params={"limit": 1, "type": "coup", "country": "ML"},
            headers={"Accept": "text/csv"},
        )
        rows = list(csv.reader(io.StringIO(response.text, newline="")))
        assert [row[0] for row in rows[1:]] == ["mali-coup-2020", "mali-coup-2021"]

    def test_actors_csv(self, client: TestClient) -> None:
        response = client.get("/actors.csv", params={"kind": "armed_group"})
        rows = list(csv.DictReader(io.StringIO(response.text, newline="")))
        jnim = next(r for r in rows if r["id"] == "jnim")
        assert jnim["aliases"] == "JNIM;GSIM"
        assert {r["kind"] for r in rows} == {"armed_group"}

    def test_export_routes_refuse_paging(self, client: TestClient) -> None:
        assert client.get("/events.csv", params={"limit": 5}).status_code == 400
        assert client.get("/actors.csv", params={"cursor": "x"}).status_code == 400


class TestJSONLD:
    def test_event_is_a_schema_org_event(self, client: TestClient) -> None:
        response = client.get(
            "/events/joint-operations-suspended", headers={"Accept": "application/ld+json"}
        )
        assert response.headers["content-type"] == "application/ld+json"
        node = expand(response.json())
        assert node["@type"] == ["https://schema.org/Event"]
        assert node["https://schema.org/startDate"][0]["@value"] == "2021-06-03"
        organizers = node["https://schema.org/organizer"]
        assert organizers[0]["@id"].endswith("/actors/france")
        works = node["https://schema.org/subjectOf"]
        assert any(
            "Vorige week had Parijs" in w["https://schema.org/text"][0]["@value"] for w in works
        )

    def test_located_event_has_a_place(self, client: TestClient) -> None:
        document = client.get(
            "/events/last-french-troops-leave-mali", headers={"Accept": "application/ld+json"}
        ).json()
        node = expand(document)
        place = node["https://schema.org/location"][0]
        assert place["https://schema.org/name"][0]["@value"] == "Gao"
        geo = place["https://schema.org/geo"][0]
        assert geo["https://schema.org/latitude"][0]["@value"] == 16.267

    @pytest.mark.parametrize(
        ("actor", "kind"),
        [("emmanuel-macron", "Person"), ("mali", "Country"), ("takuba", "Organization")],
    )
    def test_actor_types(self, client: TestClient, actor: str, kind: str) -> None:
        response = client.get(f"/actors/{actor}", headers={"Accept": "application/ld+json"})
        assert expand(response.json())["@type"] == [f"https://schema.org/{kind}"]

    def test_membership_is_member_of(self, client: TestClient) -> None:
        document = client.get("/actors/mali", headers={"Accept": "application/ld+json"}).json()
        assert [m["@id"].rsplit("/", 1)[1] for m in document["memberOf"]] == ["g5-sahel"]
        assert json.dumps(document, ensure_ascii=False).count("G5 Sahel") >= 1
