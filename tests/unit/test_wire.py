"""app.wire names every synced table with its scope key, fields and time columns exactly as the models do,
and imports nothing of the project (the server shares it)."""

from __future__ import annotations

import ast
from pathlib import Path

from sqlalchemy import Enum as SAEnum
from sqlalchemy import inspect

from app import wire
from app.models import SYNCED_ENTITIES, Instructor
from app.models.base import CivilDate, CivilDateTime, Instant
from app.services.core.outbox_guard import LOCAL_ONLY

_KINDS = {Instant: "instant", CivilDate: "date", CivilDateTime: "datetime"}


def _fields(model: type) -> tuple[str, ...]:
    return tuple(a.key for a in inspect(model).column_attrs if a.key not in LOCAL_ONLY and a.key != "server_version")


def _time_fields(model: type) -> dict[str, str]:
    wanted = set(_fields(model))
    return {a.key: _KINDS[type(a.columns[0].type)] for a in inspect(model).column_attrs
            if type(a.columns[0].type) in _KINDS and a.key in wanted}


def test_every_synced_table_is_on_the_wire_with_its_scope_key() -> None:
    assert {table: model.scope_key for table, model in SYNCED_ENTITIES.items()} == wire.ENTITY_SCOPE


def test_fields_and_time_columns_match_the_models() -> None:
    models = {**SYNCED_ENTITIES, "instructor": Instructor}
    assert set(wire.ENTITY_FIELDS) == set(models)
    for table, model in models.items():
        assert wire.ENTITY_FIELDS[table] == _fields(model), table
        assert wire.ENTITY_TIME_FIELDS[table] == _time_fields(model), table


def test_required_fields_and_enum_codes_match_the_models() -> None:
    """The server refuses what a client column cannot hold: its NOT NULL columns and its enum codes."""
    models = {**SYNCED_ENTITIES, "instructor": Instructor}
    assert set(wire.ENTITY_REQUIRED) == set(models)
    for table, model in models.items():
        columns = {a.key: a.columns[0] for a in inspect(model).column_attrs if a.key in wire.ENTITY_FIELDS[table]}
        required = tuple(name for name in wire.ENTITY_FIELDS[table] if not columns[name].nullable)
        enums = {name: frozenset(column.type.enums) for name, column in columns.items()
                 if isinstance(column.type, SAEnum)}
        assert wire.ENTITY_REQUIRED[table] == required, table
        assert wire.ENTITY_ENUMS.get(table, {}) == enums, table
    assert "short_name" in wire.ENTITY_REQUIRED["social_org"]
    assert wire.ENTITY_ENUMS["social_org"]["org_type"] == {"SOCIAL_GROUP", "SOCIAL_SERVICE", "FOUNDATION",
                                                           "COMMUNITY_FILED"}


def test_no_local_only_column_travels() -> None:
    for table, fields in wire.ENTITY_FIELDS.items():
        assert not set(fields) & (LOCAL_ONLY | {"server_version"}), table


def test_server_managed_and_first_wins_name_real_entities_and_fields() -> None:
    assert set(wire.ENTITY_FIELDS) >= wire.SERVER_MANAGED
    for entity, fields in wire.FIRST_WINS_FIELDS.items():
        assert fields <= set(wire.ENTITY_FIELDS[entity])


def test_scope_ids() -> None:
    assert wire.scope_for("org_id", "a") == wire.org_scope("a") == "org:a"
    assert wire.scope_for("party_org_id", "b") == wire.party_scope("b") == "party:b"


def test_wire_imports_nothing_of_the_project() -> None:
    """Every module of the package imports only the standard typing helpers and the package itself."""
    imported: set[str] = set()
    for path in Path(wire.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
        imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert imported <= {"__future__", "typing", "app.wire.entities"}
