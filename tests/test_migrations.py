"""Migrations against a real database: up from empty, no drift from the models, down to base."""

from sqlalchemy import inspect, text

from app import migrate, search
from app.db import make_engine
from tests.conftest import schema_drift

TABLES = {
    "source",
    "release",
    "record_version",
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
