"""`GET /events/facets` and `/actors/{id}/events/facets`: counts that add up, and links to
lists of exactly what they count."""

import csv
import io
import random
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

FACETS = ["type", "actor", "role", "country", "tag", "importance", "disputed", "date"]
SINGLE_VALUED = ["type", "country", "importance", "disputed"]


def facets(client: TestClient, path: str = "/events/facets", **params: Any) -> dict[str, Any]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def total_of(client: TestClient, url: str) -> int:
    response = client.get(url + ("&" if "?" in url else "?") + "limit=1")
    assert response.status_code == 200, (url, response.text)
    total: int = response.json()["total"]
    return total


def events(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = client.get("/events", params={"limit": 500, **params}).json()[
        "items"
    ]
    return items


def random_filters(rng: random.Random, items: list[dict[str, Any]]) -> dict[str, Any]:
    """A few filters with values the data has, so that most combinations match something."""
    pick = rng.choice(items)
    choices: dict[str, Any] = {
        "type": [pick["type"]],
        "actor": [a["id"] for a in pick["actors"][:1]],
        "role": [a["role"] for a in pick["actors"][:1]],
        "country": [pick["location"]["country"]] if pick["location"] else [],
        "tag": pick["tags"][:1],
        "importance": [pick["importance"], rng.randint(1, 3)],
        "disputed": str(pick["disputed"]).lower(),
        "from": pick["earliest"][:4],
        "to": str(int(pick["earliest"][:4]) + rng.randint(0, 4)),
        "starts_in": pick["start"][: rng.choice([4, 7])],
        "precision": [pick["precision"]],
        "q": pick["title"].split()[0],
    }
    chosen = rng.sample(sorted(choices), rng.randint(0, 3))
    return {name: choices[name] for name in chosen if choices[name]}


def check_counts(client: TestClient, filters: dict[str, Any], interval: str, size: int) -> None:
    """Every count of every facet of `filters` is the total of the list at its `url`, and
    the histogram's buckets and `coarser` add up to the total."""
    params = {**filters, "facet": FACETS, "interval": interval, "facet_size": size}
    body = facets(client, **params)
    assert body["total"] == total_of(client, "/events?" + urlencode(filters, doseq=True))
    for name in FACETS[:-1]:
        for value in body["facets"][name]:
            if value["url"] is not None:
                assert value["count"] == total_of(client, value["url"]), (name, value)
    histogram = body["facets"]["date"]
    empty = [b for b in histogram["buckets"] if b["count"] == 0]
    # Every bucket with events, and a few empty ones: a day histogram has thousands.
    for bucket in [b for b in histogram["buckets"] if b["count"]] + empty[:3]:
        assert bucket["count"] == total_of(client, bucket["url"]), bucket
    coarser = histogram["coarser"]
    if coarser["url"] is not None:
        assert coarser["count"] == total_of(client, coarser["url"])
    else:
        assert coarser["count"] == 0
    counted = sum(b["count"] for b in histogram["buckets"]) + coarser["count"]
    assert counted == body["total"]


class TestConsistency:
    @pytest.mark.parametrize("seed", range(8))
    def test_every_count_is_the_total_of_its_list(self, client: TestClient, seed: int) -> None:
        rng = random.Random(seed)
        filters = random_filters(rng, events(client))
        interval = rng.choice(["year", "month", "day"])
        check_counts(client, filters, interval, rng.randint(2, 8))

    @pytest.mark.parametrize("seed", range(6))
    def test_single_valued_counts_add_up_to_the_total(self, client: TestClient, seed: int) -> None:
        filters = random_filters(random.Random(seed), events(client))
        body = facets(client, **filters, facet=SINGLE_VALUED, facet_size=2)
        for name in SINGLE_VALUED:
            assert sum(v["count"] for v in body["facets"][name]) == body["total"], name

    def test_actor_events_count_within_the_actor(self, client: TestClient) -> None:
        path = "/actors/takuba/events/facets"
        body = facets(client, path, facet=["type", "actor", "date"], facet_size=100)
        assert body["total"] == total_of(client, "/actors/takuba/events")
        actors = {v["value"]: v for v in body["facets"]["actor"]}
        assert actors["takuba"]["count"] == body["total"]
        for value in [*body["facets"]["type"], *body["facets"]["actor"]]:
            assert value["url"].startswith("http://testserver/actors/takuba/events?")
            assert value["count"] == total_of(client, value["url"])


class TestValues:
    def test_labels_in_the_requested_language(self, client: TestClient) -> None:
        body = facets(client, facet="type", facet_size=100, lang="nl")
        coup = next(v for v in body["facets"]["type"] if v["value"] == "coup")
        assert coup["label"] == "Staatsgreep"
        assert coup["url"] == "http://testserver/events?lang=nl&type=coup"

    def test_actor_labels_are_names(self, client: TestClient) -> None:
        body = facets(client, facet="actor", facet_size=100, lang="fr")
        goita = next(v for v in body["facets"]["actor"] if v["value"] == "assimi-goita")
        assert goita["label"] == "Assimi Goïta"

    def test_most_frequent_first_and_the_rest_as_other(self, client: TestClient) -> None:
        body = facets(client, facet="type", facet_size=2)
        shown, other = body["facets"]["type"][:2], body["facets"]["type"][2]
        assert shown[0]["count"] >= shown[1]["count"]
        assert other == {"value": None, "label": "Other", "count": other["count"], "url": None}
        assert other["count"] == body["total"] - shown[0]["count"] - shown[1]["count"] > 0

    def test_only_the_facets_asked_for(self, client: TestClient) -> None:
        assert set(facets(client, facet="tag")["facets"]) == {"tag"}
        assert set(facets(client)["facets"]) == {"type", "date"}

    def test_a_multi_valued_facet_counts_alternatives_to_its_own_filter(
        self, client: TestClient
    ) -> None:
        body = facets(client, tag="coup", facet=["tag", "type"], facet_size=100)
        tags = {v["value"]: v["count"] for v in body["facets"]["tag"]}
        assert tags["coup"] == body["total"]
        assert sum(tags.values()) > body["total"]
        assert {v["value"] for v in body["facets"]["type"]} <= {i["type"] for i in events(client)}


class TestHistogram:
    def test_empty_years_inside_the_range_are_zero(self, client: TestClient) -> None:
        histogram = facets(client, facet="date")["facets"]["date"]
        years = [int(b["value"]) for b in histogram["buckets"]]
        assert years == list(range(years[0], years[-1] + 1))
        assert histogram["interval"] == "year"
        assert histogram["coarser"] == {"count": 0, "url": None}

    def test_year_only_dates_are_coarser_in_a_month_histogram(self, client: TestClient) -> None:
        year_only = [i for i in events(client) if i["precision"] == "year"]
        histogram = facets(client, facet="date", interval="month")["facets"]["date"]
        assert histogram["coarser"]["count"] == len(year_only) > 0
        assert histogram["coarser"]["url"] == "http://testserver/events?precision=year"
        months = [b["value"] for b in histogram["buckets"]]
        assert all(len(m) == 7 for m in months)
        assert len(months) == len(set(months))

    def test_starts_in_leaves_out_less_precise_starts(self, client: TestClient) -> None:
        items = events(client)
        month = next(i["start"][:7] for i in items if i["precision"] != "year")
        expected = {i["id"] for i in items if i["start"].startswith(month)}
        assert {i["id"] for i in events(client, starts_in=month)} == expected


class TestFormats:
    def test_csv_has_a_row_per_count(self, client: TestClient) -> None:
        response = client.get(
            "/events/facets", params={"facet": ["type", "date"]}, headers={"Accept": "text/csv"}
        )
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        rows = list(csv.DictReader(io.StringIO(response.text)))
        body = facets(client, facet=["type", "date"])
        assert sum(int(r["count"]) for r in rows if r["facet"] == "type") == body["total"]
        assert sum(int(r["count"]) for r in rows if r["facet"] == "date") == body["total"]

    def test_revalidates_with_its_etag(self, client: TestClient) -> None:
        first = client.get("/events/facets")
        again = client.get("/events/facets", headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304


class TestErrors:
    def test_unknown_actor_is_404(self, client: TestClient) -> None:
        response = client.get("/actors/nobody/events/facets")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"

    @pytest.mark.parametrize(
        ("params", "where"),
        [
            ({"facet": "colour"}, "facet"),
            ({"facet_size": 101}, "facet_size"),
            ({"interval": "week"}, "interval"),
            ({"starts_in": "2021-13"}, "starts_in"),
        ],
    )
    def test_bad_parameter_is_400_naming_it(
        self, client: TestClient, params: dict[str, Any], where: str
    ) -> None:
        response = client.get("/events/facets", params=params)
        assert response.status_code == 400
        assert where in response.text
