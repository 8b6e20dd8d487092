"""What the data-file and response models share: identifiers, codes and localized text."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Slug = Annotated[
    str,
    Field(
        pattern=SLUG_PATTERN,
        max_length=100,
        description="A stable identifier: lower-case words joined by hyphens.",
        examples=["mali-coup-2021"],
    ),
]
COUNTRY_PATTERN = r"^[A-Z]{2}$"
CountryCode = Annotated[
    str,
    Field(
        pattern=COUNTRY_PATTERN,
        description="ISO 3166-1 alpha-2 country code.",
        examples=["ML"],
    ),
]
Text = Annotated[str, Field(min_length=1)]


class RecordIn(BaseModel):
    """Data-file records: unknown keys are mistakes, not extensions."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class LocalizedIn(RecordIn):
    """The same text in English, Dutch and French."""

    en: Text = Field(description="English.", examples=["Second coup in Mali"])
    nl: Text = Field(description="Dutch.", examples=["Tweede staatsgreep in Mali"])
    fr: Text = Field(description="French.", examples=["Second coup d'État au Mali"])

    def get(self, language: str) -> str:
        """The text in `language` (one of en, nl, fr)."""
        text: str = getattr(self, language)
        return text
