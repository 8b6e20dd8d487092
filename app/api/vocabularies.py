"""`/tags` and `/countries`: the values the `tag=` and `country=` filters can take."""

from fastapi import APIRouter, Response
from pydantic import TypeAdapter

from app.api.pinning import counted
from app.api.respond import Body, PinExchange, openapi
from app.countries import country_name
from app.negotiation import MediaType
from app.queries.vocabularies import count_by_country, count_events_by_tag
from app.schemas.vocabularies import CountryRead, TagRead
from app.vocabulary import Language

router = APIRouter(tags=["service"])


TAGS = TypeAdapter(list[TagRead])
COUNTRIES = TypeAdapter(list[CountryRead])


@router.get("/tags", response_model=list[TagRead], responses=openapi({MediaType.JSON: None}))
def list_tags(exchange: PinExchange) -> Response:
    """Every tag events carry and how many carry it, most used first."""

    def as_json(_lang: Language) -> Body:
        counts = counted(exchange.session, exchange.pin, count_events_by_tag)
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        tags = [TagRead(id=tag, count=n) for tag, n in ordered]
        return Body(TAGS.dump_json(tags))

    return exchange.respond({MediaType.JSON: as_json})


@router.get(
    "/countries", response_model=list[CountryRead], responses=openapi({MediaType.JSON: None})
)
def list_countries(exchange: PinExchange) -> Response:
    """Every country events or actors name: code, name in the served language, counts."""

    def as_json(lang: Language) -> Body:
        counts = counted(exchange.session, exchange.pin, count_by_country)
        countries = [
            CountryRead(
                id=code,
                label=country_name(code, lang),
                events=counts[code, "event"],
                actors=counts[code, "actor"],
            )
            for code in sorted({code for code, _ in counts})
        ]
        return Body(COUNTRIES.dump_json(countries))

    return exchange.respond({MediaType.JSON: as_json})
