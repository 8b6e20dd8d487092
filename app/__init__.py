"""Sahel Timeline API: a curated, sourced timeline of events and actors."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("sahel-timeline")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0+unknown"
