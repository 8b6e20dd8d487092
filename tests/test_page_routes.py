"""The timeline page's HTML routes over HTTP: `/` and `/e/{id}`, their language, filters,
Open Graph tags and the escaping of data and query values."""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app import date_labels
from app.config import Settings
from app.main import create_app
from app.vocabulary import Language
from tests.conftest import load_files
from tests.factories import make_actor, make_event, make_source, write_data

HTML = {"Accept": "text/html"}


class Page(HTMLParser):
    """What a test reads from a page: meta tags, the `lang`, and ids of listed events."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.lang = ""
        self.events: list[str] = []
        self.times: dict[str, str] = {}
        self._entry = ""
        self._in_time = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.lang = found["lang"]
        if tag == "meta" and "content" in found:
            self.meta[found.get("property") or found.get("name", "")] = found["content"]
        if "data-event-id" in found:
            self._entry = found["data-event-id"]
            self.events.append(self._entry)
        self._in_time = tag == "time" and bool(self._entry) and self._entry not in self.times

    def handle_data(self, data: str) -> None:
        if self._in_time:
            self.times[self._entry] = data
            self._in_time = False


def page(client: TestClient, url: str, **headers: str) -> Page:
    response = client.get(url, headers={**HTML, **headers})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return Page(response.text)


def api_ids(client: TestClient, **params: str) -> list[str]:
    body = client.get("/events", params={**params, "limit": "500"}).json()
    return [item["id"] for item in body["items"]]


@pytest.mark.parametrize("lang", ["en", "nl", "fr"])
def test_the_page_lists_every_event_server_side_in_its_language(
    client: TestClient, lang: str
) -> None:
    shown = page(client, f"/?lang={lang}")
    assert shown.lang == lang
    items = client.get("/events", params={"lang": lang, "limit": "500"}).json()["items"]
    assert shown.events == [item["id"] for item in items]
    for item in items:
        expected = date_labels.span(item["start"], item["end"], Language(lang))
        assert shown.times[item["id"]] == expected


@pytest.mark.parametrize(("header", "lang"), [("nl-NL,nl;q=0.9", "nl"), ("fr-BE", "fr")])
def test_the_page_follows_accept_language(client: TestClient, header: str, lang: str) -> None:
    assert page(client, "/", **{"Accept-Language": header}).lang == lang


def test_filters_in_the_query_are_those_of_events(client: TestClient) -> None:
    query = {"actor": "takuba", "from": "2021-01", "to": "2021-12", "importance": "3"}
    shown = page(client, "/?" + "&".join(f"{k}={v}" for k, v in query.items()))
    assert shown.events == api_ids(client, **query)
    assert shown.events


def test_a_search_lists_what_the_api_finds(client: TestClient) -> None:
    assert page(client, "/?q=takuba").events == api_ids(client, q="takuba")


def test_empty_form_fields_are_no_filters(client: TestClient) -> None:
    shown = page(client, "/?lang=fr&q=&actor=&type=&from=&to=")
    assert shown.events == api_ids(client)


def test_the_form_keeps_filters_it_does_not_show(client: TestClient) -> None:
    text = client.get("/?lang=nl&country=NE&q=coup", headers=HTML).text
    assert '<input type="hidden" name="country" value="NE">' in text
    assert text.count('name="lang"') == 1


def test_a_bad_filter_is_a_problem_naming_it(client: TestClient) -> None:
    response = client.get("/?from=2021-13", headers=HTML)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert (error["location"], error["name"]) == ("query", "from")
    assert "month 13" in error["message"]


def test_a_malformed_event_id_is_a_problem_naming_it(client: TestClient) -> None:
    response = client.get("/e/Mali_Coup", headers=HTML)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert (error["location"], error["name"]) == ("path", "event_id")


@pytest.mark.parametrize(
    ("lang", "title", "locale"),
    [
        ("en", "Second coup in Mali", "en_GB"),
        ("nl", "Tweede staatsgreep in Mali", "nl_NL"),
        ("fr", "Second coup d'État au Mali", "fr_FR"),
    ],
)
def test_an_event_page_carries_open_graph_and_twitter_tags(
    client: TestClient, lang: str, title: str, locale: str
) -> None:
    event = client.get("/events/mali-coup-2021", params={"lang": lang}).json()
    shown = page(client, f"/e/mali-coup-2021?lang={lang}")
    assert shown.lang == lang
    assert shown.meta["og:title"].startswith(title)
    assert event["title"] == title
    assert event["summary"] in shown.meta["og:description"]
    assert shown.meta["og:description"] == shown.meta["twitter:description"]
    assert shown.meta["og:url"] == f"http://testserver/e/mali-coup-2021?lang={lang}"
    assert shown.meta["og:type"] == "article"
    assert shown.meta["og:locale"] == locale
    assert shown.meta["twitter:card"] == "summary"
    assert shown.events == ["mali-coup-2021"]


def test_an_unknown_event_page_is_a_404_problem(client: TestClient) -> None:
    response = client.get("/e/no-such-event", headers=HTML)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "no event with id 'no-such-event'"


def test_query_values_are_escaped(client: TestClient) -> None:
    text = client.get('/?q="><script>alert(1)</script>', headers=HTML).text
    assert "<script>alert" not in text
    assert "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_data_is_escaped(tmp_path: Path, empty_url: str) -> None:
    hostile = '<img src=x onerror="alert(1)"> & co'
    data = write_data(
        tmp_path / "hostile.json",
        sources=[make_source()],
        actors=[make_actor(name={"en": hostile, "nl": hostile, "fr": hostile})],
        events=[
            make_event(
                title={"en": hostile, "nl": hostile, "fr": hostile},
                location={"place": hostile, "country": "ML"},
            )
        ],
    )
    load_files(empty_url, [data])
    with TestClient(create_app(Settings(database_url=empty_url))) as client:
        for url in ("/", "/e/test-event"):
            text = client.get(url, headers=HTML).text
            assert "<img" not in text
            assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; &amp; co" in text
