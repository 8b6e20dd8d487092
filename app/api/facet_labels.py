"""Names of facet values in each language, where the value itself is a code."""

from app.vocabulary import EVENT_TYPE_LABELS, EventType, Language, Role

_ROLES: dict[Role, tuple[str, str, str]] = {
    Role.INITIATOR: ("Initiator", "Initiatiefnemer", "Initiateur"),
    Role.TARGET: ("Target", "Doelwit", "Cible"),
    Role.ANNOUNCER: ("Announcer", "Aankondiger", "Annonceur"),
    Role.PARTICIPANT: ("Participant", "Deelnemer", "Participant"),
    Role.CONTRIBUTOR: ("Contributor", "Bijdrager", "Contributeur"),
    Role.SIGNATORY: ("Signatory", "Ondertekenaar", "Signataire"),
    Role.SUBJECT: ("Subject", "Onderwerp", "Sujet"),
    Role.PUBLISHER: ("Publisher", "Uitgever", "Éditeur"),
}
_IMPORTANCE = {
    "1": ("Context", "Context", "Contexte"),
    "2": ("Significant", "Belangrijk", "Important"),
    "3": ("Key moment", "Sleutelmoment", "Moment clé"),
}
_DISPUTED = {
    "true": ("Disputed", "Betwist", "Contesté"),
    "false": ("Undisputed", "Onbetwist", "Non contesté"),
}
OTHER = ("Other", "Overige", "Autres")
COARSER = ("Dated less precisely", "Minder precies gedateerd", "Datation moins précise")
_ORDER = (Language.EN, Language.NL, Language.FR)


def pick(names: tuple[str, str, str], lang: Language) -> str:
    """The name in `lang` from an (en, nl, fr) triple."""
    return names[_ORDER.index(lang)]


def label(facet: str, value: str, lang: Language) -> str:
    """The name of `value` of `facet` in `lang`; the value itself if it has no other name
    (countries, tags) or is not known (actors are named from the database)."""
    if facet == "type" and value in EVENT_TYPE_LABELS:
        info = EVENT_TYPE_LABELS[EventType(value)]
        return pick((info.en, info.nl, info.fr), lang)
    if facet == "role" and value in _ROLES:
        return pick(_ROLES[Role(value)], lang)
    names = {"importance": _IMPORTANCE, "disputed": _DISPUTED}.get(facet, {})
    return pick(names[value], lang) if value in names else value
