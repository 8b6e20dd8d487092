"""Settings read from the environment, so one build serves every deployment."""

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

#: The checkout (or image) root: where `data/` and `migrations/` live.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Everything an operator may change, with defaults that need no set-up."""

    model_config = SettingsConfigDict(extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'sahel-timeline.sqlite3'}",
        description="Any SQLAlchemy URL; an SQLite file in the checkout by default. The "
        "command line reads and writes here.",
    )
    database_read_url: str | None = Field(
        default=None,
        description="Where the API reads, e.g. a read replica of `database_url`, which it "
        "is by default. The command line never uses it.",
    )
    db_pool_size: int = Field(
        default=40,
        ge=1,
        description="Connections each server process keeps to a database server (not "
        "SQLite) for requests: one per request thread by default.",
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default=["*"],
        description="Origins allowed to call the API from a browser, comma-separated.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    statement_timeout_ms: int = Field(
        default=5000, ge=100, description="Longest a query may run before the API answers 503."
    )
    response_cache_mb: int = Field(
        default=64, ge=0, description="Memory for rendered responses kept by ETag; 0 turns it off."
    )
    cache_max_age: int = Field(
        default=60, ge=0, description="Seconds clients and caches may reuse a response."
    )
    public_base_url: str | None = Field(
        default=None,
        pattern=r"^https?://[^/?#\s]+(/[^?#\s]*)?$",
        description="Scheme, host and path prefix that `url`, `next` and `Link` start with, "
        "as clients reach the service; the request's own by default.",
    )
    forwarded_allow_ips: str = Field(
        default="127.0.0.1,::1",
        description="Peers (comma-separated addresses or networks, `*` for any) whose "
        "`X-Forwarded-Proto` and `X-Forwarded-For` the server believes: a proxy on this "
        "machine by default.",
    )
    data_dir: Path = Field(
        default=PROJECT_ROOT / "data",
        description="Where `init` finds the shipped data files.",
    )

    @property
    def read_url(self) -> str:
        """The URL the API reads from: the replica if one is set, else the primary."""
        return self.database_read_url or self.database_url

    @field_validator("public_base_url")
    @classmethod
    def _strip_slash(cls, value: str | None) -> str | None:
        """`https://example.org/` and `https://example.org` name the same base."""
        return value.rstrip("/") if value else None

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        """Accept `a,b` from the environment as well as a list."""
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("cors_origins")
    @classmethod
    def _check_origins(cls, origins: list[str]) -> list[str]:
        """Each an origin as browsers send it, or `*`: a near miss would allow nothing."""
        return [normalise_origin(origin) for origin in origins]


def normalise_origin(origin: str) -> str:
    """`scheme://host[:port]` in lower case without a trailing slash; `ValueError` if it is
    not an origin (a path, query, user or another scheme) and cannot become one."""
    if origin == "*":
        return origin
    parts = urlsplit(origin)
    try:
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError:
        parts = parts._replace(netloc="")
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or "@" in parts.netloc
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        raise ValueError(
            f"{origin!r} is not an origin: write scheme://host[:port] with nothing after it, "
            "e.g. https://example.org or http://127.0.0.1:8950, or * for any"
        )
    return f"{parts.scheme}://{parts.netloc}".lower()


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings; tests override them through `create_app(settings)`."""
    return Settings()
