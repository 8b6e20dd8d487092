"""Full-text search through an index on both backends, never a scan of the table.

SQLite: an FTS5 table per searchable table (`event_search`, `actor_search`) over the
`search_text` column, kept in step by triggers. PostgreSQL: a generated `search_vector`
(tsvector) column with a GIN index. Both are created by migration 0003, not by the models:
neither has a portable SQLAlchemy type. On PostgreSQL the column keeps deeper statistics
(migration 0012), so the planner reads a rare word's few matches from the GIN index and
finds a common word's first page by walking the date index. Every word of a query must
occur, as a word or the start of one: `takub` finds Takuba, `etat` finds État.

Matches are ranked in tiers (`rank`) over `search_names`, the folded names and aliases of
an actor or the titles of an event, which the loader writes beside `search_text`: a whole
name first, then names that hold every word, then the rest. Tiers rather than `bm25()` or
`ts_rank()`: both backends agree on them, a reader can tell why one match precedes another,
and a small integer in a cursor keeps keyset paging exact.
"""

import re
from collections.abc import Callable, Iterable

from sqlalchemy import (
    ColumnElement,
    SQLColumnExpression,
    Text,
    and_,
    bindparam,
    case,
    false,
    func,
    literal,
    literal_column,
    text,
)
from sqlalchemy.orm import Session

from app.folding import fold

SEARCHABLE = ("event", "actor")
_WORD = re.compile(r"[^\W_]+")  # what both backends' tokenizers call a word


def words(query: str) -> list[str]:
    """The folded words of a search query; every one must match."""
    return _WORD.findall(fold(query))


def terms(dialect: str, query: str) -> str | None:
    """`query` as the backend's full-text query (bound as `:terms`, see `condition`); None
    when it holds no word, which nothing matches."""
    found = words(query)
    if not found:
        return None
    if dialect == "postgresql":
        return " & ".join(f"{word}:*" for word in found)
    return " ".join(f'"{word}"*' for word in found)


def condition(table: str, dialect: str, query: str | None = None) -> ColumnElement[bool]:
    """A condition that the rows of `table` match the full-text `query` (from `terms`), or
    the one bound as `:terms` when the statement runs."""
    bound = bindparam("terms", type_=Text) if query is None else bindparam("terms", query, Text)
    if dialect == "postgresql":
        tsquery = func.to_tsquery("simple", bound)
        return literal_column(f"{table}.search_vector").op("@@")(tsquery)
    return text(  # type: ignore[return-value]
        f"{table}.rowid IN (SELECT rowid FROM {table}_search WHERE {table}_search MATCH :terms)"
    ).bindparams(bound)


def matches(table: str, dialect: str, query: str) -> ColumnElement[bool]:
    """A condition that the rows of `table` hold every word of `query`."""
    found = terms(dialect, query)
    return false() if found is None else condition(table, dialect, found)


# The tiers `rank` gives: the query is a whole name, every word begins a word of a name, or
# the words occur elsewhere (a description, a summary, a place).
WHOLE_NAME, NAME_WORDS, ELSEWHERE = TIERS = (0, 1, 2)


def names_text(names: Iterable[str]) -> str:
    """`search_names` for these names: their folded words, each name between bars.

    `| task force takuba | takuba |`: a word begins after a space and a whole name lies
    between `| ` and ` |`, so `rank` needs only LIKE, which works alike on both backends
    (words hold no `%` or `_`).
    """
    return "".join(f"| {' '.join(words(name))} " for name in names) + "|"


def rank(names: SQLColumnExpression[str], count: int) -> ColumnElement[int]:
    """The tier of a match by `names` (a `search_names` column), for a query of `count`
    words whose patterns are bound as `rank_values` names them."""
    if count == 0:  # a query without words matches nothing: no tier to tell
        return literal(ELSEWHERE)
    whole = names.like(bindparam("rank_whole", type_=Text))
    each = and_(*(names.like(bindparam(f"rank_word_{i}", type_=Text)) for i in range(count)))
    return case((whole, WHOLE_NAME), (each, NAME_WORDS), else_=ELSEWHERE)


def rank_values(query: str) -> dict[str, str]:
    """The patterns `rank` binds for `query`: the whole name, and each word's start."""
    found = words(query)
    patterns = {f"rank_word_{i}": f"% {word}%" for i, word in enumerate(found)}
    return {"rank_whole": f"%| {' '.join(found)} |%", **patterns}


def is_index_object(name: str | None) -> bool:
    """Whether a database object belongs to the search index, which the models do not declare.

    SQLite's FTS5 also makes shadow tables (`event_search_data`, ...).
    """
    if name is None:
        return False
    return name == "search_vector" or any(
        name in (f"{table}_search", f"ix_{table}_search_vector")
        or name.startswith(f"{table}_search_")
        for table in SEARCHABLE
    )


def suspend(session: Session, table: str) -> Callable[[], None]:
    """Stop indexing rows added to `table`; the function returned indexes them all at once.

    For a first load into an empty table: one pass at the end costs a fraction of an index
    update per row. Both steps run in the caller's transaction.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # The GIN index: dropped now, created again from its own definition.
        name, kind = f"ix_{table}_search_vector", "INDEX"
        lookup = f"SELECT indexdef FROM pg_indexes WHERE indexname = '{name}'"
        afterwards = []
    else:
        # The FTS5 insert trigger: dropped now, then re-created and the index rebuilt.
        name, kind = f"{table}_search_insert", "TRIGGER"
        lookup = f"SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = '{name}'"
        afterwards = [f"INSERT INTO {table}_search({table}_search) VALUES ('rebuild')"]
    definition = connection.exec_driver_sql(lookup).scalar_one()
    connection.exec_driver_sql(f"DROP {kind} {name}")

    def resume() -> None:
        for statement in [definition, *afterwards]:
            connection.exec_driver_sql(statement)

    return resume
