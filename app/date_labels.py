"""EDTF dates as readers write them, in each language: "c. January 2013", "24 May 2021?".

Approximate dates take a word before them (c., vers, rond), uncertain ones a question mark
after them; a date known to the decade reads "2010s", a season by its name.
"""

from app import edtf_dates
from app.edtf_dates import OPEN, UNKNOWN
from app.vocabulary import Language

MONTHS = {
    Language.EN: "January February March April May June July August September October "
    "November December",
    Language.NL: "januari februari maart april mei juni juli augustus september oktober "
    "november december",
    Language.FR: "janvier février mars avril mai juin juillet août septembre octobre "
    "novembre décembre",
}
SEASONS = {
    Language.EN: "spring summer autumn winter",
    Language.NL: "voorjaar zomer najaar winter",
    Language.FR: "printemps été automne hiver",
}
ABOUT = {Language.EN: "c.", Language.NL: "rond", Language.FR: "vers"}
DECADE = {Language.EN: "{}s", Language.NL: "jaren {}", Language.FR: "années {}"}


def _plain(value: str, lang: Language) -> str:
    """The date without its qualifiers: "24 May 2021", "spring 2013", "2010s"."""
    parsed = edtf_dates.parse(value)
    first_year = int(parsed.earliest[:4])
    if parsed.year is None:
        if parsed.decade:
            return DECADE[lang].format(first_year)
        return f"{first_year}–{parsed.latest[:4]}"
    if parsed.season is not None:
        return f"{SEASONS[lang].split()[parsed.season - 21]} {parsed.year}"
    if parsed.month is None:
        return str(parsed.year)
    name = MONTHS[lang].split()[parsed.month - 1]
    return f"{name} {parsed.year}" if parsed.day is None else f"{parsed.day} {name} {parsed.year}"


def label(value: str, lang: Language) -> str:
    """One EDTF date as a reader writes it in `lang`."""
    parsed = edtf_dates.parse(value)
    text = _plain(value, lang)
    if parsed.approximate:
        text = f"{ABOUT[lang]} {text}"
    return f"{text}?" if parsed.uncertain else text


def span(start: str, end: str | None, lang: Language) -> str:
    """An event's dates: one date, a range, or a range with an open (–) or unknown (– ?) end."""
    if end is None:
        return label(start, lang)
    if end == OPEN:
        return f"{label(start, lang)} –"
    if end == UNKNOWN:
        return f"{label(start, lang)} – ?"
    return f"{label(start, lang)} – {label(end, lang)}"
