"""Alembic environment for the client database: batch mode (SQLite ALTER), naming conventions.

The app passes an open connection in ``config.attributes["connection"]``; developers running the
alembic CLI get one from alembic.ini.
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from sqlalchemy import engine_from_config, pool

from app.models import Base
from app.models.base import TIME_COLUMN_TYPES

# FTS5 virtual tables and their shadow tables are made by hand in the migrations.
SEARCH_TABLE_PREFIX = "org_search"


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    return not (type_ == "table" and name is not None and name.startswith(SEARCH_TABLE_PREFIX))


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Autogenerate writes the time types (Instant, CivilDate, CivilDateTime) as the plain DATETIME/DATE
    they are stored as, so a migration never imports the app's column types."""
    if type_ == "type" and isinstance(obj, TIME_COLUMN_TYPES):
        return f"sa.{type(obj.impl_instance).__name__}()"
    return False


def run_migrations(connection: object) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        include_name=include_name,
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


config = context.config
existing = config.attributes.get("connection")
if existing is not None:
    run_migrations(existing)
else:
    engine = engine_from_config(config.get_section(config.config_ini_section) or {}, prefix="sqlalchemy.",
                                poolclass=pool.NullPool)
    with engine.connect() as conn:
        run_migrations(conn)
