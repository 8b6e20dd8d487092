"""Country names in each language, for the ISO 3166-1 alpha-2 codes the data uses.

A small table rather than a dependency: `GET /countries` labels the codes events and actors
carry, and a filter given a name (`country=Mali`) is told the code; a code missing here is
labelled with the code itself.
"""

import difflib
from functools import cache
from typing import NamedTuple

from app.folding import fold
from app.vocabulary import Language


class CountryNames(NamedTuple):
    """A country's name in each language."""

    en: str
    nl: str
    fr: str


COUNTRY_NAMES: dict[str, CountryNames] = {
    code: CountryNames(*names.split("|"))
    for code, names in {
        "AT": "Austria|Oostenrijk|Autriche",
        "BE": "Belgium|België|Belgique",
        "BF": "Burkina Faso|Burkina Faso|Burkina Faso",
        "BJ": "Benin|Benin|Bénin",
        "CA": "Canada|Canada|Canada",
        "CF": "Central African Republic|Centraal-Afrikaanse Republiek|République centrafricaine",
        "CH": "Switzerland|Zwitserland|Suisse",
        "CI": "Côte d'Ivoire|Ivoorkust|Côte d'Ivoire",
        "CM": "Cameroon|Kameroen|Cameroun",
        "CZ": "Czechia|Tsjechië|Tchéquie",
        "DE": "Germany|Duitsland|Allemagne",
        "DK": "Denmark|Denemarken|Danemark",
        "DZ": "Algeria|Algerije|Algérie",
        "EE": "Estonia|Estland|Estonie",
        "ES": "Spain|Spanje|Espagne",
        "FI": "Finland|Finland|Finlande",
        "FR": "France|Frankrijk|France",
        "GB": "United Kingdom|Verenigd Koninkrijk|Royaume-Uni",
        "GH": "Ghana|Ghana|Ghana",
        "GN": "Guinea|Guinee|Guinée",
        "GR": "Greece|Griekenland|Grèce",
        "HU": "Hungary|Hongarije|Hongrie",
        "IT": "Italy|Italië|Italie",
        "LT": "Lithuania|Litouwen|Lituanie",
        "LY": "Libya|Libië|Libye",
        "MA": "Morocco|Marokko|Maroc",
        "ML": "Mali|Mali|Mali",
        "MR": "Mauritania|Mauritanië|Mauritanie",
        "NE": "Niger|Niger|Niger",
        "NG": "Nigeria|Nigeria|Nigeria",
        "NL": "Netherlands|Nederland|Pays-Bas",
        "NO": "Norway|Noorwegen|Norvège",
        "PL": "Poland|Polen|Pologne",
        "PT": "Portugal|Portugal|Portugal",
        "RO": "Romania|Roemenië|Roumanie",
        "RU": "Russia|Rusland|Russie",
        "SE": "Sweden|Zweden|Suède",
        "SN": "Senegal|Senegal|Sénégal",
        "TD": "Chad|Tsjaad|Tchad",
        "TG": "Togo|Togo|Togo",
        "US": "United States|Verenigde Staten|États-Unis",
    }.items()
}


def country_name(code: str, lang: Language) -> str:
    """The name of the country `code` in `lang`; the code itself when the table lacks it."""
    names = COUNTRY_NAMES.get(code)
    return getattr(names, lang.value) if names else code


@cache
def _codes_by_name() -> dict[str, str]:
    """Every country name in every language, folded, to its code."""
    return {fold(name): code for code, names in COUNTRY_NAMES.items() for name in names}


def code_named(name: str) -> str | None:
    """The code of the country called `name` (or nearly) in English, Dutch or French:
    `Mali`, `frankrijk`, `Pays Bas`, `Senegall` and `Burkina` each name one."""
    by_name = _codes_by_name()
    folded = fold(" ".join(name.replace("-", " ").split()))
    spelled = {known.replace("-", " "): code for known, code in by_name.items()}
    near = difflib.get_close_matches(folded, spelled, n=1, cutoff=0.8)
    near = near or sorted(known for known in spelled if known.startswith(f"{folded} "))
    return spelled[near[0]] if near else None
