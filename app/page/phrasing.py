"""The page's words for one language, as the templates use them: dates through
`app.date_labels` (the one definition the API's TimelineJS labels use too), numbers,
figures, roles and links between events in plain language."""

from dataclasses import dataclass
from itertools import groupby
from typing import Any

from app import date_labels
from app.countries import country_name
from app.page.words import QUALIFIERS, RELATIONS, ROLES, TEXT, count, number
from app.vocabulary import (
    EVENT_TYPE_LABELS,
    EventRelationType,
    EventType,
    Language,
    Qualifier,
    Role,
)

ISO_DATE_LENGTHS = (4, 7, 10)


@dataclass(frozen=True)
class Phrasing:
    """Everything a template says, in `lang`."""

    lang: Language

    def __getitem__(self, key: str) -> str:
        return TEXT[self.lang][key]

    def text(self, key: str, **values: object) -> str:
        """A sentence with its blanks filled: `text("count", n=3)`."""
        return TEXT[self.lang][key].format(**values)

    def count(self, n: int) -> str:
        """ "1 event", "79 gebeurtenissen"."""
        return count(n, self.lang)

    def number(self, value: int) -> str:
        """3,000 / 3.000 / 3 000."""
        return number(value, self.lang)

    def date(self, value: str) -> str:
        """One date as readers write it: "24 mei 2021", "vers janvier 2013"."""
        return date_labels.label(value, self.lang)

    def when(self, event: dict[str, Any]) -> str:
        """An event's dates: one date or a span, with open or unknown ends."""
        return date_labels.span(event["start"], event["end"], self.lang)

    @staticmethod
    def machine_date(event: dict[str, Any]) -> str:
        """The `datetime` of an event's `<time>`: its start when plain ISO, else its first day."""
        start: str = event["start"]
        plain = len(start) in ISO_DATE_LENGTHS and start.replace("-", "").isdigit()
        return start if plain else str(event["earliest"])

    def type_label(self, event_type: str) -> str:
        """The event type's label in this language."""
        return str(getattr(EVENT_TYPE_LABELS[EventType(event_type)], self.lang.value))

    def place(self, location: dict[str, Any] | None) -> str | None:
        """ "Ménaka, Mali"; the place alone when it has no country."""
        if location is None:
            return None
        country = location.get("country")
        place: str = location["place"]
        if not country:
            return place
        name = country_name(country, self.lang)
        return place if place == name else f"{place}, {name}"

    def figure_value(self, figure: dict[str, Any]) -> str:
        """ "about 3,000", "meer dan 5.000"."""
        qualifier = QUALIFIERS[self.lang][Qualifier(figure["qualifier"])]
        value = self.number(figure["value"])
        return f"{qualifier} {value}" if qualifier else value

    def actors(self, event: dict[str, Any]) -> list[tuple[str, list[str]]]:
        """The actors by role, each role as the words before the names: ("Announced by",
        ["Emmanuel Macron"]). An event's own actor as its subject (Serval on Serval's card)
        says nothing and is left out."""
        order = list(Role)
        shown = [
            actor
            for actor in event["actors"]
            if not (actor["role"] == Role.SUBJECT and actor["id"] == event["id"])
        ]
        shown.sort(key=lambda actor: order.index(Role(actor["role"])))
        return [
            (ROLES[self.lang][Role(role)], [actor["name"] for actor in actors])
            for role, actors in groupby(shown, key=lambda actor: actor["role"])
        ]

    def relation(self, relation: dict[str, Any]) -> str:
        """A link to another event from this one's side: "Led to", "Gevolg van"."""
        outgoing, incoming = RELATIONS[self.lang][EventRelationType(relation["type"])]
        return outgoing if relation["direction"] == "outgoing" else incoming
