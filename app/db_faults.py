"""What a database failure means and what to do about it, in one line, for either backend.

The API turns it into a 503's detail; the CLI prints it instead of a traceback. Both say
`sahel-timeline init` when the cure is to create or load the database.
"""

import re
from enum import Enum

from sqlalchemy import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

INIT = "run `sahel-timeline init` to create and load it"


class Fault(Enum):
    """The kinds of database failure an operator can fix."""

    NO_TABLES = "the database has no tables yet"
    NO_SQLITE_FILE = "the database file is missing or cannot be opened"
    NO_DATABASE = "the database does not exist on the server"
    UNREACHABLE = "the database server cannot be reached"
    OTHER = "the database cannot answer right now"


_NO_DATABASE = re.compile(r'database "[^"]*" does not exist')


def classify(exc: SQLAlchemyError) -> Fault:
    """The fault behind a database exception, from SQLite's message or PostgreSQL's SQLSTATE."""
    if not isinstance(exc, DBAPIError):
        return Fault.OTHER
    sqlstate = getattr(exc.orig, "sqlstate", None)
    message = str(exc.orig).lower()
    if sqlstate == "42P01" or "no such table" in message:
        return Fault.NO_TABLES
    if "unable to open database file" in message:
        return Fault.NO_SQLITE_FILE
    if sqlstate == "3D000" or _NO_DATABASE.search(message):
        return Fault.NO_DATABASE
    if "connection refused" in message or "could not translate host name" in message:
        return Fault.UNREACHABLE
    return Fault.OTHER


def api_detail(exc: SQLAlchemyError) -> str:
    """A 503's detail: what is wrong and the command that fixes it; no host, file or name."""
    fault = classify(exc)
    if fault is Fault.OTHER:
        return f"the database cannot answer: {fault.value}"
    if fault is Fault.NO_DATABASE:
        return f"the database cannot answer: {fault.value}; create it, then {INIT}"
    if fault is Fault.UNREACHABLE:
        return f"the database cannot answer: {fault.value}; retry shortly"
    return f"the database cannot answer: {fault.value}; {INIT}"


def cli_message(exc: SQLAlchemyError, database_url: str) -> str:
    """One line for the operator: which database, what is wrong, what to do next."""
    url = make_url(database_url)
    port = f":{url.port}" if url.port else ""
    where = url.database if url.get_backend_name() == "sqlite" else f"{url.host}{port}"
    fault = classify(exc)
    if fault is Fault.NO_TABLES:
        return f"{url.database}: {fault.value}; run `sahel-timeline init` (or `migrate`) first"
    if fault is Fault.NO_SQLITE_FILE:
        return f"{url.database}: cannot open or create this file; does its directory exist?"
    if fault is Fault.NO_DATABASE:
        return (
            f"database {url.database!r} does not exist on {where}; create it "
            f"(createdb {url.database}), then run `sahel-timeline init`"
        )
    if fault is Fault.UNREACHABLE:
        return f"cannot reach the database server at {where}; is it running? check DATABASE_URL"
    first_line = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
    return f"database error on {where}: {first_line}"
