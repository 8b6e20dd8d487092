"""`GET /events` and `GET /events/{id}`: filters, order, paging and the full event."""

from typing import Any

import pytest
from fastapi.testclient import TestClient


def get_items(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/events", params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


class TestList:
    def test_items_are_in_date_order_with_total(self, client: TestClient) -> None:
        body = client.get("/events", params={"limit": 500}).json()
        earliest = [item["earliest"] for item in body["items"]]
        assert earliest == sorted(earliest)
        assert body["total"] == len(body["items"]) > 50
        assert body["next"] is None

    def test_sort_newest_first(self, client: TestClient) -> None:
        items = get_items(client, sort="-date")
        assert items[0]["id"] == "senegal-bases-handed-over"
        earliest = [item["earliest"] for item in items]
        assert earliest == sorted(earliest, reverse=True)

    def test_item_embeds_actors_with_roles(self, client: TestClient) -> None:
        coup = next(i for i in get_items(client) if i["id"] == "mali-coup-2021")
        roles = {(a["id"], a["role"]) for a in coup["actors"]}
        assert ("assimi-goita", "initiator") in roles
        assert ("bah-ndaw", "target") in roles
        assert coup["actors"][0]["name"] == "Assimi Goïta"

    def test_item_shape_is_stable(self, client: TestClient) -> None:
        item = get_items(client, limit=1)[0]
        assert set(item) == {
            "id", "url", "type", "title", "summary", "start", "end", "precision", "earliest",
            "latest", "uncertain", "approximate", "location", "tags", "importance", "disputed",
            "actors",
        }  # fmt: skip

    def test_precision_follows_the_source(self, client: TestClient) -> None:
        items = {i["id"]: i for i in get_items(client)}
        assert items["takuba-full-capability"]["start"] == "2021-04"
        assert items["takuba-full-capability"]["precision"] == "month"
        assert items["takuba-full-capability"]["latest"] == "2021-04-30"
        assert items["mali-coup-2021"]["precision"] == "day"
        assert items["french-military-deaths-2013-2021"]["precision"] == "year"


class TestDateFilters:
    def test_may_june_2021_lists_the_articles_events(self, client: TestClient) -> None:
        found = ids(get_items(client, **{"from": "2021-05", "to": "2021-06"}))
        for expected in (
            "mali-coup-2021",
            "macron-jdd-interview",
            "joint-operations-suspended",
            "barkhane-end-announced",
        ):
            assert expected in found
        assert "joint-operations-resumed" not in found  # 2 July
        assert "mali-coup-2020" not in found

    def test_to_month_includes_last_day(self, client: TestClient) -> None:
        assert "mali-coup-2021" in ids(get_items(client, to="2021-05"))
        assert "mali-coup-2021" not in ids(get_items(client, to="2021-05-23"))

    def test_from_year_includes_the_whole_year(self, client: TestClient) -> None:
        found = ids(get_items(client, **{"from": "2022"}))
        assert "withdrawal-from-mali-announced" in found
        assert "joint-operations-resumed" not in found

    def test_spans_match_when_they_overlap(self, client: TestClient) -> None:
        found = ids(get_items(client, **{"from": "2018", "to": "2018"}))
        assert "operation-barkhane" in found  # 2014-08-01 to 2022-11-09
        assert "operation-serval" not in found

    def test_from_after_to_is_rejected(self, client: TestClient) -> None:
        response = client.get("/events", params={"from": "2022", "to": "2021"})
        assert response.status_code == 400
        assert response.json()["errors"][0]["name"] == "to"


@pytest.mark.parametrize(
    ("path", "base", "narrowing"),
    [
        ("/events", {}, {"role": "signatory"}),
        ("/events", {}, {"disputed": "true"}),
        ("/events", {}, {"precision": "year"}),
        ("/events", {}, {"starts_in": "2021"}),
        ("/events", {"from": "2021", "to": "2021"}, {"date_match": "within"}),
    ],
)
def test_each_filter_keeps_some_and_leaves_some_out(
    client: TestClient, path: str, base: dict[str, str], narrowing: dict[str, str]
) -> None:
    def total(params: dict[str, str]) -> int:
        response = client.get(path, params=params)
        assert response.status_code == 200, response.text
        count: int = response.json()["total"]
        return count

    assert 0 < total(base | narrowing) < total(base)


class TestOtherFilters:
    def test_type_repeated_is_or(self, client: TestClient) -> None:
        coups = ids(get_items(client, type="coup", country="ML"))
        assert coups == ["mali-coup-2020", "mali-coup-2021"]
        both = get_items(client, type=["coup", "interview"], **{"from": "2020", "to": "2021"})
        assert {i["type"] for i in both} == {"coup", "interview"}
        assert len(both) == 3

    def test_actor_filter(self, client: TestClient) -> None:
        items = get_items(client, actor="assimi-goita")
        assert ids(items) == ["mali-coup-2020", "mali-coup-2021", "goita-declared-president"]
        for item in items:
            assert "assimi-goita" in {a["id"] for a in item["actors"]}

    def test_filters_combine_with_and(self, client: TestClient) -> None:
        items = get_items(
            client,
            actor="emmanuel-macron",
            type="announcement",
            **{"from": "2021-06", "to": "2021-06"},
        )
        assert ids(items) == ["barkhane-end-announced"]

    def test_country_tag_and_importance(self, client: TestClient) -> None:
        assert all(i["location"]["country"] == "FR" for i in get_items(client, country="FR"))
        assert "netherlands-joins-takuba" in ids(get_items(client, country="FR"))
        assert ids(get_items(client, tag="netherlands")) == ["netherlands-joins-takuba"]
        key = get_items(client, importance=3)
        assert key
        assert all(i["importance"] == 3 for i in key)
        assert len(get_items(client, importance=[2, 3])) > len(key)

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("goita", "goita-declared-president"),  # accents ignored
            ("STAATSGREEP", "mali-coup-2021"),  # case ignored, Dutch title
            ("officialise Barkhane", "barkhane-formally-ended"),  # French, all words
            ("after the", "mali-coup-2021"),  # words English would drop as stop words
        ],
    )
    def test_text_search_in_every_language(
        self, client: TestClient, query: str, expected: str
    ) -> None:
        assert expected in ids(get_items(client, q=query))

    def test_text_search_treats_wildcards_literally(self, client: TestClient) -> None:
        assert get_items(client, q="%") == []
        assert get_items(client, q="_") == []

    def test_unknown_filter_value_is_rejected(self, client: TestClient) -> None:
        response = client.get("/events", params={"type": "picnic"})
        assert response.status_code == 400
        assert response.json()["errors"][0]["name"] == "type"


class TestPaging:
    @pytest.mark.parametrize("sort", ["date", "-date"])
    def test_walking_all_pages_yields_every_event_once_in_order(
        self, client: TestClient, sort: str
    ) -> None:
        everything = ids(get_items(client, sort=sort, limit=500))
        seen: list[str] = []
        url: str | None = f"/events?limit=3&sort={sort}"
        while url:
            response = client.get(url)
            body = response.json()
            assert len(body["items"]) <= 3
            assert body["total"] == len(everything)
            seen += ids(body["items"])
            url = body["next"]
            if url:
                assert response.headers["link"] == f'<{url}>; rel="next"'
            else:
                assert "link" not in response.headers
        assert seen == everything

    def test_next_keeps_the_filters(self, client: TestClient) -> None:
        body = client.get("/events", params={"type": "coup", "country": "ML", "limit": 1}).json()
        second = client.get(body["next"]).json()
        assert ids(second["items"]) == ["mali-coup-2021"]
        assert second["next"] is None

    def test_cursor_is_bound_to_its_sort_order(self, client: TestClient) -> None:
        cursor = client.get("/events", params={"limit": 1}).json()["next"].split("cursor=")[1]
        response = client.get("/events", params={"cursor": cursor, "sort": "-date"})
        assert response.status_code == 400
        assert response.json()["errors"][0]["name"] == "cursor"

    @pytest.mark.parametrize("limit", ["0", "501", "-1", "ten"])
    def test_limit_out_of_range(self, client: TestClient, limit: str) -> None:
        response = client.get("/events", params={"limit": limit})
        assert response.status_code == 400
        assert response.json()["errors"][0]["name"] == "limit"


class TestDetail:
    def test_full_event(self, client: TestClient) -> None:
        event = client.get("/events/mali-coup-2021").json()
        assert event["title"] == "Second coup in Mali"
        assert event["location"] == {
            "place": "Kati", "country": "ML", "latitude": 12.744, "longitude": -8.072
        }  # fmt: skip
        nrc = next(c for c in event["citations"] if c["source"]["id"] == "nrc-2021-06-barkhane")
        assert nrc["quote"].startswith("De directe aanleiding tot de terugtrekking")
        assert nrc["source"]["language"] == "nl"

    def test_relations_are_visible_from_both_ends(self, client: TestClient) -> None:
        coup = client.get("/events/mali-coup-2021").json()
        outgoing = {
            (r["type"], r["event"]["id"]) for r in coup["relations"] if r["direction"] == "outgoing"
        }
        assert ("caused", "joint-operations-suspended") in outgoing
        assert ("caused", "barkhane-end-announced") in outgoing
        announcement = client.get("/events/barkhane-end-announced").json()
        incoming = {
            (r["type"], r["event"]["id"])
            for r in announcement["relations"]
            if r["direction"] == "incoming"
        }
        assert ("caused", "mali-coup-2021") in incoming
        assert ("caused", "joint-operations-suspended") in incoming

    def test_disputed_figure_shows_the_other_sources(self, client: TestClient) -> None:
        event = client.get("/events/french-military-deaths-2013-2021").json()
        assert event["disputed"] is True
        claim = next(f for f in event["figures"] if f["value"] == 55 and f["disputed"])
        assert claim["citations"][0]["source"]["id"] == "nrc-2021-06-barkhane"
        other_sources = {c["source"]["id"] for d in claim["disputes"] for c in d["citations"]}
        assert "essahraa-2021-01-06-57-militaires" in other_sources
        assert {f["value"] for f in event["figures"]} >= {55, 57, 48, 50}

    def test_disputed_event_claim(self, client: TestClient) -> None:
        event = client.get("/events/barkhane-end-announced").json()
        assert event["disputed"] is True
        assert "overseas operation" in event["disputes"][0]["note"]
        listed = next(i for i in get_items(client) if i["id"] == "barkhane-end-announced")
        assert listed["disputed"] is True

    def test_every_event_and_figure_is_sourced(self, client: TestClient) -> None:
        for item in get_items(client, limit=500):
            event = client.get(item["url"]).json()
            assert event["citations"], item["id"]
            for citation in event["citations"]:
                assert citation["quote"].strip()
            for figure in event["figures"]:
                assert figure["citations"], (item["id"], figure["measure"])

    def test_unknown_event_is_404(self, client: TestClient) -> None:
        response = client.get("/events/no-such-event")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        assert "no-such-event" in response.json()["detail"]
