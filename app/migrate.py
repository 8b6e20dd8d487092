"""Alembic driven from code, so the CLI and the tests need no alembic.ini."""

import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config

from app.config import PROJECT_ROOT

MIGRATIONS = PROJECT_ROOT / "migrations"


def alembic_config(database_url: str) -> Config:
    """An Alembic configuration for `database_url` and the project's migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser treats % as interpolation; URLs may contain it (encoded passwords).
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the schema to `revision`."""
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    """Take the schema back to `revision`."""
    command.downgrade(alembic_config(database_url), revision)


def new_revision(message: str) -> None:
    """Autogenerate a migration from the models' difference to head, named YYYY-MM-DD_slug."""
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{Path(scratch) / 'head.sqlite3'}"
        upgrade(url)
        config = alembic_config(url)
        config.set_main_option("file_template", "%%(year)d-%%(month).2d-%%(day).2d_%%(slug)s")
        command.revision(config, message=message, autogenerate=True)
