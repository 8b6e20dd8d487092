"""The service's own responses: index, health, event types, and RFC 9457 problems."""

from typing import Literal

from pydantic import BaseModel, Field

from app.vocabulary import EventType


class EventTypeRead(BaseModel):
    """An event type with its label and how many events have it."""

    id: EventType = Field(description="The value used in `type=` filters.", examples=["coup"])
    label: str = Field(description="Label in the served language.", examples=["Coup"])
    count: int = Field(description="Events of this type.", examples=[2])


class IndexRead(BaseModel):
    """What this service is and where to go next."""

    name: str = Field(description="Service name.", examples=["Sahel Timeline API"])
    version: str = Field(description="Service version.", examples=["1.0.0"])
    description: str = Field(description="What it serves.")
    links: dict[str, str] = Field(
        description="Paths of the collections and the docs.",
        examples=[{"events": "/events", "docs": "/docs"}],
    )


class HealthRead(BaseModel):
    """The service and its database answer."""

    status: Literal["ok"] = Field(description="Always `ok` on a 200.", examples=["ok"])
    database: str = Field(description="Dialect of the database that answered.", examples=["sqlite"])
    events: int = Field(description="Events in the database.", examples=[40])


class ProblemItem(BaseModel):
    """One thing wrong with a request."""

    location: str = Field(description="`query`, `path` or `header`.", examples=["query"])
    name: str = Field(description="The parameter at fault.", examples=["from"])
    message: str = Field(description="What is wrong with it.", examples=["not a date"])


class Problem(BaseModel):
    """An RFC 9457 problem details object, sent as `application/problem+json`."""

    type: str = Field(description="URI naming the problem type.", examples=["about:blank"])
    title: str = Field(description="Short summary of the problem type.", examples=["Bad Request"])
    status: int = Field(description="The HTTP status code.", examples=[400])
    detail: str = Field(description="What went wrong in this request.")
    instance: str | None = Field(
        default=None, description="The request path.", examples=["/events"]
    )
    errors: list[ProblemItem] = Field(
        default_factory=list, description="Each parameter at fault, when there are any."
    )
