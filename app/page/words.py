"""Every word the timeline page shows, in English, Dutch and French, and numbers as each
language writes them. The script reads its few words from the page, so this is the only copy.
"""

from app.vocabulary import EventRelationType, Language, Qualifier, Role

EN, NL, FR = Language.EN, Language.NL, Language.FR

LANGUAGE_NAMES = {EN: "English", NL: "Nederlands", FR: "Français"}
# Open Graph wants a territory; these are the editions the data set's readers are in.
OG_LOCALES = {EN: "en_GB", NL: "nl_NL", FR: "fr_FR"}

TEXT: dict[Language, dict[str, str]] = {
    EN: {
        "title": "France in the Sahel",
        "intro": "A sourced timeline from Operation Serval to the end of Barkhane.",
        "skip": "Skip to the timeline",
        "docs": "API documentation",
        "language": "Language",
        "filters": "Filters",
        "show-filters": "Search and filters",
        "search": "Search",
        "search-hint": "Words in the title or summary",
        "actor": "Actor",
        "any-actor": "All actors",
        "type": "Type",
        "any-type": "All types",
        "from": "From",
        "to": "To",
        "key-only": "Key moments only",
        "apply": "Apply",
        "reset": "Clear filters",
        "years": "Jump to a year",
        "eras": "Operations under way",
        "list": "Events in date order",
        "count-one": "1 event",
        "count": "{n} events",
        "none": "No events match these filters.",
        "more": "Only the first {n} are shown; the API lists them all:",
        "loading": "Loading…",
        "error": "The timeline could not be loaded:",
        "updated": "Last updated: release {release}, {date} at {time} UTC.",
        "releases": "All releases",
        "key": "Key moment",
        "disputed": "Sources disagree",
        "dispute-note": "Where sources differ (in English):",
        "details": "Figures and sources",
        "figures": "Figures",
        "sources": "Sources",
        "related": "Related events",
        "history": "History of this entry",
        "permalink": "Link to this event",
        "copy": "Copy link",
        "copied": "Link copied",
        "copy-failed": "Select the address and copy it:",
        "back": "The whole timeline",
        "as-of": "as of {date}",
        "footer": "Every event cites its sources. Data and API:",
        "site": "Sahel Timeline",
        "colon": ":",
    },
    NL: {
        "title": "Frankrijk in de Sahel",
        "intro": "Een tijdlijn met bronnen, van Operatie Serval tot het einde van Barkhane.",
        "skip": "Naar de tijdlijn",
        "docs": "API-documentatie",
        "language": "Taal",
        "filters": "Filters",
        "show-filters": "Zoeken en filteren",
        "search": "Zoeken",
        "search-hint": "Woorden in de titel of samenvatting",
        "actor": "Betrokkene",
        "any-actor": "Alle betrokkenen",
        "type": "Soort",
        "any-type": "Alle soorten",
        "from": "Van",
        "to": "Tot",
        "key-only": "Alleen sleutelmomenten",
        "apply": "Toepassen",
        "reset": "Filters wissen",
        "years": "Naar een jaar",
        "eras": "Lopende operaties",
        "list": "Gebeurtenissen in volgorde van datum",
        "count-one": "1 gebeurtenis",
        "count": "{n} gebeurtenissen",
        "none": "Geen gebeurtenissen voor deze filters.",
        "more": "Alleen de eerste {n} staan hier; de API geeft ze allemaal:",
        "loading": "Laden…",
        "error": "De tijdlijn kon niet worden geladen:",
        "updated": "Laatst bijgewerkt: versie {release}, {date} om {time} UTC.",
        "releases": "Alle versies",
        "key": "Sleutelmoment",
        "disputed": "Bronnen spreken elkaar tegen",
        "dispute-note": "Waar bronnen verschillen (in het Engels):",
        "details": "Cijfers en bronnen",
        "figures": "Cijfers",
        "sources": "Bronnen",
        "related": "Verwante gebeurtenissen",
        "history": "Geschiedenis van dit item",
        "permalink": "Link naar deze gebeurtenis",
        "copy": "Link kopiëren",
        "copied": "Link gekopieerd",
        "copy-failed": "Selecteer het adres en kopieer het:",
        "back": "De hele tijdlijn",
        "as-of": "stand {date}",
        "footer": "Elke gebeurtenis vermeldt haar bronnen. Data en API:",
        "site": "Sahel-tijdlijn",
        "colon": ":",
    },
    FR: {
        "title": "La France au Sahel",
        "intro": "Une chronologie sourcée, de l'opération Serval à la fin de Barkhane.",
        "skip": "Aller à la chronologie",
        "docs": "Documentation de l'API",
        "language": "Langue",
        "filters": "Filtres",
        "show-filters": "Recherche et filtres",
        "search": "Rechercher",
        "search-hint": "Mots du titre ou du résumé",
        "actor": "Acteur",
        "any-actor": "Tous les acteurs",
        "type": "Type",
        "any-type": "Tous les types",
        "from": "Du",
        "to": "Au",
        "key-only": "Moments clés seulement",
        "apply": "Appliquer",
        "reset": "Effacer les filtres",
        "years": "Aller à une année",
        "eras": "Opérations en cours",
        "list": "Événements par ordre chronologique",
        "count-one": "1 événement",
        "count": "{n} événements",
        "none": "Aucun événement ne correspond à ces filtres.",
        "more": "Seuls les {n} premiers sont affichés ; l'API les donne tous :",
        "loading": "Chargement…",
        "error": "La chronologie n'a pas pu être chargée :",
        "updated": "Dernière mise à jour : version {release}, le {date} à {time} UTC.",
        "releases": "Toutes les versions",
        "key": "Moment clé",
        "disputed": "Les sources divergent",
        "dispute-note": "Là où les sources divergent (en anglais) :",
        "details": "Chiffres et sources",
        "figures": "Chiffres",
        "sources": "Sources",
        "related": "Événements liés",
        "history": "Historique de cette entrée",
        "permalink": "Lien vers cet événement",
        "copy": "Copier le lien",
        "copied": "Lien copié",
        "copy-failed": "Sélectionnez l'adresse et copiez-la :",
        "back": "Toute la chronologie",
        "as-of": "au {date}",
        "footer": "Chaque événement cite ses sources. Données et API :",
        "site": "Chronologie du Sahel",
        "colon": "\u00a0:",
    },
}

# An actor's part, as the words that go before its name: "Announced by Emmanuel Macron".
ROLES: dict[Language, dict[Role, str]] = {
    EN: {
        Role.INITIATOR: "By",
        Role.TARGET: "Against",
        Role.ANNOUNCER: "Announced by",
        Role.PARTICIPANT: "With",
        Role.CONTRIBUTOR: "With contributions from",
        Role.SIGNATORY: "Signed by",
        Role.SUBJECT: "About",
        Role.PUBLISHER: "Published by",
    },
    NL: {
        Role.INITIATOR: "Door",
        Role.TARGET: "Tegen",
        Role.ANNOUNCER: "Aangekondigd door",
        Role.PARTICIPANT: "Met",
        Role.CONTRIBUTOR: "Met bijdragen van",
        Role.SIGNATORY: "Ondertekend door",
        Role.SUBJECT: "Over",
        Role.PUBLISHER: "Gepubliceerd door",
    },
    FR: {
        Role.INITIATOR: "Par",
        Role.TARGET: "Contre",
        Role.ANNOUNCER: "Annoncé par",
        Role.PARTICIPANT: "Avec",
        Role.CONTRIBUTOR: "Avec des contributions de",
        Role.SIGNATORY: "Signé par",
        Role.SUBJECT: "Au sujet de",
        Role.PUBLISHER: "Publié par",
    },
}

# A figure's qualifier, as the word before the number: "about 3,000".
QUALIFIERS: dict[Language, dict[Qualifier, str]] = {
    EN: {
        Qualifier.STATED: "",
        Qualifier.ABOUT: "about",
        Qualifier.MORE_THAN: "more than",
        Qualifier.AT_LEAST: "at least",
        Qualifier.UP_TO: "up to",
    },
    NL: {
        Qualifier.STATED: "",
        Qualifier.ABOUT: "ongeveer",
        Qualifier.MORE_THAN: "meer dan",
        Qualifier.AT_LEAST: "minstens",
        Qualifier.UP_TO: "tot",
    },
    FR: {
        Qualifier.STATED: "",
        Qualifier.ABOUT: "environ",
        Qualifier.MORE_THAN: "plus de",
        Qualifier.AT_LEAST: "au moins",
        Qualifier.UP_TO: "jusqu'à",
    },
}

# A link between events seen from one end: (outgoing, incoming).
RELATIONS: dict[Language, dict[EventRelationType, tuple[str, str]]] = {
    EN: {
        EventRelationType.CAUSED: ("Led to", "Followed from"),
        EventRelationType.PART_OF: ("Part of", "Includes"),
        EventRelationType.FOLLOWED_BY: ("Followed by", "After"),
    },
    NL: {
        EventRelationType.CAUSED: ("Leidde tot", "Gevolg van"),
        EventRelationType.PART_OF: ("Onderdeel van", "Omvat"),
        EventRelationType.FOLLOWED_BY: ("Gevolgd door", "Na"),
    },
    FR: {
        EventRelationType.CAUSED: ("A conduit à", "Conséquence de"),
        EventRelationType.PART_OF: ("Fait partie de", "Comprend"),
        EventRelationType.FOLLOWED_BY: ("Suivi de", "Après"),
    },
}

# Thousands as each language groups them: 3,000, 3.000, 3 000 (a narrow no-break space).
_THOUSANDS = {EN: ",", NL: ".", FR: "\u202f"}


def number(value: int, lang: Language) -> str:
    """A whole number with the language's thousands separator."""
    return f"{value:,}".replace(",", _THOUSANDS[lang])


def count(n: int, lang: Language) -> str:
    """ "1 event", "79 gebeurtenissen"."""
    words = TEXT[lang]
    return words["count-one"] if n == 1 else words["count"].format(n=number(n, lang))
