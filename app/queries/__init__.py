"""Every SELECT the API runs, by resource; nothing here knows about HTTP."""

from app.queries.actors import (
    ActorFilter,
    ActorKey,
    RankedActor,
    actor_exists,
    get_actor,
    iter_actors,
    list_actors,
)
from app.queries.common import DataVersion, Page, get_dataset, totals
from app.queries.events import (
    EventFilter,
    EventKey,
    EventListing,
    count_events,
    count_events_by_type,
    event_exists,
    get_event,
    get_event_json,
    list_events,
)
from app.queries.facets import Facet, Histogram, ValueCounts

__all__ = [
    "ActorFilter",
    "ActorKey",
    "DataVersion",
    "EventFilter",
    "EventKey",
    "EventListing",
    "Facet",
    "Histogram",
    "ValueCounts",
    "Page",
    "RankedActor",
    "actor_exists",
    "count_events",
    "count_events_by_type",
    "event_exists",
    "get_event_json",
    "get_actor",
    "get_dataset",
    "get_event",
    "iter_actors",
    "list_actors",
    "list_events",
    "totals",
]
