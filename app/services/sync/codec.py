"""Wire values <-> column values, per column type of the client's models (DESIGN §3: dates as ISO text,
instants aware UTC, civil date-times naive, enums by value, bools as JSON booleans).

An enum value this version does not know (sent by a newer server) is kept as its text and reported, never
a crash: the ledger and the forms show such a code as 未知（…） (app.domain.unknown_values).  So pulled rows
are written through a *raw* copy of each table whose enum columns are plain text."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import Boolean, Column, Integer, MetaData, String, Table
from sqlalchemy import Enum as SAEnum

from app.models import SYNCED_ENTITIES, Instructor
from app.models.base import CivilDate, CivilDateTime, Instant
from app.services.core.outbox import LOCAL_ONLY, wire_value

__all__ = ["Decoded", "decode", "encode", "entity_table", "raw_table", "wire_keys"]

_RAW = MetaData()


def entity_table(entity: str) -> Table:
    """The client table of a pulled entity (every synced one, and ``instructor``)."""
    model: Any = Instructor if entity == "instructor" else SYNCED_ENTITIES[entity]
    return cast(Table, model.__table__)


@cache
def raw_table(entity: str) -> Table:
    """``entity``'s table with its enum columns as plain text (an unknown code is stored as sent)."""
    table = entity_table(entity)
    columns = [Column(c.name, String(64) if isinstance(c.type, SAEnum) else c.type, primary_key=c.primary_key)
               for c in table.columns]
    return Table(table.name, _RAW, *columns)


@cache
def wire_keys(entity: str) -> tuple[str, ...]:
    """The columns of ``entity`` that travel (all but the local-only ones)."""
    return tuple(c.name for c in entity_table(entity).columns if c.name not in LOCAL_ONLY)


@dataclass
class Decoded:
    """A pulled row's column values, and what in it this version could not read."""

    values: dict[str, Any]
    problems: list[str] = field(default_factory=list)


def _instant(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:  # an instant without offset is UTC on the wire
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _civil_datetime(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return value.replace(tzinfo=None) if value.tzinfo is not None else value


def _civil_date(text: str) -> date:
    return date.fromisoformat(text[:10])


Converter = Callable[[str], Any]


def _converter(column: Column[Any]) -> tuple[Converter | None, frozenset[str] | None, type | None]:
    """How a column's wire value becomes its column value: a parser of its text (dates and instants), the
    codes an enum knows (an unknown one is kept as its text and reported), or a plain type (bool, int)."""
    kind = column.type
    if isinstance(kind, Instant):
        return _instant, None, None
    if isinstance(kind, CivilDateTime):
        return _civil_datetime, None, None
    if isinstance(kind, CivilDate):
        return _civil_date, None, None
    if isinstance(kind, SAEnum):
        return None, frozenset(str(v) for v in kind.enums), None
    if isinstance(kind, Boolean):
        return None, None, bool
    if isinstance(kind, Integer):
        return None, None, int
    return None, None, None


@cache
def _converters(entity: str) -> tuple[tuple[str, Converter | None, frozenset[str] | None, type | None], ...]:
    """Per travelling column of ``entity``: its converter, worked out once (a pull decodes every field of
    every row: looking the column type up each time was most of a pull's client time, bench/sync.py)."""
    table = entity_table(entity)
    return tuple((name, *_converter(table.columns[name])) for name in wire_keys(entity))


def decode(entity: str, data: Mapping[str, Any]) -> Decoded:
    """Column values of a row from its wire ``data`` (fields the client does not have are left out: a newer
    server's extra field is ignored)."""
    decoded = Decoded({})
    values = decoded.values
    for name, parse, codes, plain in _converters(entity):
        if name not in data:
            continue
        value = data[name]
        if value is None:
            values[name] = None
            continue
        try:
            if parse is not None:
                values[name] = parse(str(value))
            elif codes is not None:
                text = values[name] = str(value)
                if text not in codes:
                    decoded.problems.append(f"{entity} {data.get('id', '')}.{name} 含有本版本不认识的代码“{value}”"
                                            "（来自更新版本的服务器）")
            else:
                values[name] = plain(value) if plain is not None else value
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{entity} {data.get('id', '')}: 字段 {name} 的值 {value!r} 无法读取（{exc}）") from None
    return decoded


def encode(entity: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """The wire ``fields`` of a row (a mapping of column values: an ORM-loaded row's or a Core row's)."""
    return {name: wire_value(row[name]) for name in wire_keys(entity) if name in row}
