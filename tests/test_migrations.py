"""Migrations against a real database: up from empty, no drift from the models, down to base."""

from pathlib import Path

from sqlalchemy import inspect, text

from app import migrate, search
from app.db import make_engine
from tests.conftest import load_files, schema_drift
from tests.factories import localized, make_actor, make_event, make_source, write_data

TABLES = {
    "source",
    "release",
    "record_version",
    "read_change",
    "data_file_state",
    "facet_count",
    "actor",
    "actor_relation",
    "event",
    "event_actor",
    "event_tag",
    "event_relation",
    "event_item",
    "figure",
    "dispute",
    "citation",
    "dataset",
}


def table_names(url: str) -> set[str]:
    engine = make_engine(url)
    names = {n for n in inspect(engine).get_table_names() if not search.is_index_object(n)}
    engine.dispose()
    return names


def test_upgrade_from_empty_creates_every_table(bare_url: str) -> None:
    migrate.upgrade(bare_url)
    assert table_names(bare_url) == TABLES | {"alembic_version"}


def test_models_and_migrations_agree(bare_url: str) -> None:
    migrate.upgrade(bare_url)
    engine = make_engine(bare_url)
    with engine.connect() as connection:
        drift = schema_drift(connection)
    engine.dispose()
    assert drift == []


def test_downgrade_to_base_removes_every_table(bare_url: str) -> None:
    migrate.upgrade(bare_url)
    migrate.downgrade(bare_url, "base")
    assert table_names(bare_url) == {"alembic_version"}
    migrate.upgrade(bare_url)  # and back up again
    assert table_names(bare_url) == TABLES | {"alembic_version"}


def test_upgrade_keeps_existing_rows(bare_url: str) -> None:
    migrate.upgrade(bare_url, "0001")
    engine = make_engine(bare_url)
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO source (id, publisher, language) VALUES ('s', 'P', 'en')")
        )
        connection.execute(
            text(
                "INSERT INTO actor (id, kind, name_en, name_nl, name_fr, description_en,"
                " description_nl, description_fr, aliases, search_text)"
                " VALUES ('a', 'state', 'A', 'A', 'A', 'd', 'd', 'd', '[]', 'a')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO citation (position, source_id, quote, actor_id)"
                " VALUES (0, 's', 'q', 'a')"
            )
        )
    migrate.upgrade(bare_url)
    with engine.connect() as connection:
        hashes = connection.execute(text("SELECT content_hash FROM actor")).scalars().all()
        quotes = connection.execute(text("SELECT quote FROM citation")).scalars().all()
        names = connection.execute(text("SELECT search_names FROM actor")).scalars().all()
    engine.dispose()
    assert hashes == [""]  # the next load rewrites the row once
    assert quotes == ["q"]
    assert names == ["| a | a | a |"]  # ranked without a reload


def test_upgrade_records_what_earlier_releases_changed(bare_url: str, tmp_path: Path) -> None:
    """A database whose releases predate `read_change` gets the rows their loads would have
    written: what pinned reads take from the overlay instead of the current tables."""
    records = {"sources": [make_source()], "actors": [make_actor()]}
    kept = make_event(id="kept")
    migrate.upgrade(bare_url)
    for name, title in (("1.json", "Old"), ("2.json", "New")):
        events = [kept, make_event(id="retitled", title=localized(title))]
        load_files(bare_url, [write_data(tmp_path / name, **records, events=events)])
    query = text("SELECT kind, record_id, release FROM read_change ORDER BY record_id")
    engine = make_engine(bare_url)
    with engine.connect() as connection:
        written = connection.execute(query).all()
    migrate.downgrade(bare_url, "0013")
    migrate.upgrade(bare_url)
    with engine.connect() as connection:
        migrated = connection.execute(query).all()
    engine.dispose()
    assert written == [("event", "retitled", 2)]
    assert migrated == written
