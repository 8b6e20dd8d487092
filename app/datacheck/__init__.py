"""`sahel-timeline check`: what data files get wrong beyond their schema (docs/data-check.md)."""

from app.datacheck.run import Finding, Report, check
from app.datacheck.texts import SourceTexts

__all__ = ["Finding", "Report", "SourceTexts", "check"]
