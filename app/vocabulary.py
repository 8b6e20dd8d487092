"""Controlled vocabularies: the only values the data and the filters accept."""

from enum import StrEnum
from typing import NamedTuple


class Language(StrEnum):
    """Languages every name, title and summary is written in."""

    EN = "en"
    NL = "nl"
    FR = "fr"


DEFAULT_LANGUAGE = Language.EN


class ActorKind(StrEnum):
    """What sort of actor an actor is."""

    PERSON = "person"
    STATE = "state"
    ARMED_FORCES = "armed_forces"
    ARMED_GROUP = "armed_group"
    MILITARY_OPERATION = "military_operation"
    MULTINATIONAL_FORCE = "multinational_force"
    GOVERNMENT = "government"
    ORGANISATION = "organisation"


class Role(StrEnum):
    """The part an actor plays in an event."""

    INITIATOR = "initiator"
    TARGET = "target"
    ANNOUNCER = "announcer"
    PARTICIPANT = "participant"
    CONTRIBUTOR = "contributor"
    SIGNATORY = "signatory"  # signed a founding text without taking part
    SUBJECT = "subject"
    PUBLISHER = "publisher"


class EventRelationType(StrEnum):
    """How one event bears on another; stored once, shown from both ends."""

    CAUSED = "caused"
    PART_OF = "part_of"
    FOLLOWED_BY = "followed_by"


class ActorRelationType(StrEnum):
    """How one actor stands to another."""

    MEMBER_OF = "member_of"
    CONTRIBUTES_TO = "contributes_to"
    CONDUCTED_BY = "conducted_by"
    AFFILIATED_WITH = "affiliated_with"
    LEADER_OF = "leader_of"
    MINISTER_OF = "minister_of"
    PART_OF = "part_of"
    MERGED_INTO = "merged_into"


class Qualifier(StrEnum):
    """How exact a figure is, in the words of its source."""

    STATED = "stated"  # the source gives the number without qualification
    ABOUT = "about"
    MORE_THAN = "more_than"
    AT_LEAST = "at_least"
    UP_TO = "up_to"


class EventTypeInfo(NamedTuple):
    """Labels of an event type in each language, for `GET /event-types`."""

    en: str
    nl: str
    fr: str


class EventType(StrEnum):
    """What kind of thing happened."""

    OPERATION = "operation"
    OPERATION_END = "operation_end"
    COUP = "coup"
    POLITICAL_TRANSITION = "political_transition"
    ANNOUNCEMENT = "announcement"
    INTERVIEW = "interview"
    AGREEMENT = "agreement"
    RESOLUTION = "resolution"
    FOUNDING = "founding"
    DEPLOYMENT = "deployment"
    WITHDRAWAL = "withdrawal"
    COOPERATION_CHANGE = "cooperation_change"
    DIPLOMATIC_MEASURE = "diplomatic_measure"
    ATTACK = "attack"
    CASUALTIES = "casualties"


EVENT_TYPE_LABELS: dict[EventType, EventTypeInfo] = {
    EventType.OPERATION: EventTypeInfo(
        "Military operation", "Militaire operatie", "Opération militaire"
    ),
    EventType.OPERATION_END: EventTypeInfo(
        "Operation ends", "Einde van een operatie", "Fin d'opération"
    ),
    EventType.COUP: EventTypeInfo("Coup", "Staatsgreep", "Coup d'État"),
    EventType.POLITICAL_TRANSITION: EventTypeInfo(
        "Political transition", "Politieke overgang", "Transition politique"
    ),
    EventType.ANNOUNCEMENT: EventTypeInfo("Announcement", "Aankondiging", "Annonce"),
    EventType.INTERVIEW: EventTypeInfo("Interview", "Interview", "Entretien"),
    EventType.AGREEMENT: EventTypeInfo("Agreement", "Akkoord", "Accord"),
    EventType.RESOLUTION: EventTypeInfo("UN resolution", "VN-resolutie", "Résolution de l'ONU"),
    EventType.FOUNDING: EventTypeInfo("Founding", "Oprichting", "Fondation"),
    EventType.DEPLOYMENT: EventTypeInfo("Deployment", "Inzet", "Déploiement"),
    EventType.WITHDRAWAL: EventTypeInfo("Withdrawal", "Terugtrekking", "Retrait"),
    EventType.COOPERATION_CHANGE: EventTypeInfo(
        "Change in military cooperation",
        "Wijziging in militaire samenwerking",
        "Changement de coopération militaire",
    ),
    EventType.DIPLOMATIC_MEASURE: EventTypeInfo(
        "Diplomatic measure", "Diplomatieke maatregel", "Mesure diplomatique"
    ),
    EventType.ATTACK: EventTypeInfo("Attack or strike", "Aanval", "Attaque ou frappe"),
    EventType.CASUALTIES: EventTypeInfo("Casualties", "Slachtoffers", "Pertes"),
}
