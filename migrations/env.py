"""Alembic environment: runs migrations on the URL the caller configured."""

from alembic import context

from app import (
    models,  # noqa: F401  (registers the tables on Base.metadata)
    search,
)
from app.db import Base, make_engine, prepare_for_migrations

config = context.config


def run_migrations_online() -> None:
    """Migrate over a live connection; batch mode lets SQLite alter tables."""
    url = config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("sqlalchemy.url is not set; run migrations through `sahel-timeline`")
    engine = make_engine(url)
    with engine.connect() as connection:
        prepare_for_migrations(connection)
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            # app.db begins every transaction explicitly, so SQLite DDL is transactional too.
            transactional_ddl=True,
            compare_type=True,
            include_name=lambda name, *_: not search.is_index_object(name),
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported")
run_migrations_online()
