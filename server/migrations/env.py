"""Alembic environment of the server database (separate from the client's migrations/).

``server.db.upgrade`` passes an open connection in ``config.attributes["connection"]``.
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context

from server.models import Base, UTCDateTime


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Autogenerate writes UTCDateTime as the timestamptz it is stored as: migrations never import models."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, compare_type=True, render_item=render_item)
with context.begin_transaction():
    context.run_migrations()
