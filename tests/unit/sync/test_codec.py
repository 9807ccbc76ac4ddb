"""Wire <-> column values for every entity the client pulls (DESIGN §3: dates, civil date-times, instants,
enums, bools), and an unknown enum code reported rather than a crash."""

from __future__ import annotations

import pytest

from app import wire
from app.models import SYNCED_TABLES
from app.services.sync.codec import decode, encode, wire_keys
from tests.unit.sync.sync_builders import sample_row

ENTITIES = sorted(SYNCED_TABLES | {"instructor"})


@pytest.mark.parametrize("entity", ENTITIES)
def test_a_row_goes_to_the_wire_and_back_unchanged(entity: str) -> None:
    row = sample_row(entity)
    on_wire = encode(entity, row)
    assert all(isinstance(v, str | int | bool | type(None)) for v in on_wire.values()), on_wire
    decoded = decode(entity, on_wire)
    assert decoded.problems == []
    assert decoded.values == row


@pytest.mark.parametrize("entity", ENTITIES)
def test_the_client_columns_are_the_wire_fields(entity: str) -> None:
    assert set(wire_keys(entity)) == set(wire.ENTITY_FIELDS[entity])


def test_time_kinds_follow_the_wire_declaration() -> None:
    row = sample_row("meeting")
    on_wire = encode("meeting", row)
    assert on_wire["started_at"] == "2026-03-02T09:30:00"  # civil: naive
    assert on_wire["updated_at"].endswith("+00:00")  # instant: UTC with its offset
    back = decode("meeting", {**on_wire, "updated_at": "2026-03-30T16:00:00+08:00"}).values
    assert back["updated_at"] == row["updated_at"]  # the same instant written in another zone


def test_an_unknown_enum_code_is_kept_and_reported() -> None:
    on_wire = encode("social_org", sample_row("social_org"))
    decoded = decode("social_org", {**on_wire, "org_type": "PARTY_SCHOOL"})
    assert decoded.values["org_type"] == "PARTY_SCHOOL"
    assert len(decoded.problems) == 1 and "PARTY_SCHOOL" in decoded.problems[0]


def test_a_field_this_version_lacks_is_ignored() -> None:
    on_wire = encode("finding", sample_row("finding"))
    assert "severity" not in decode("finding", {**on_wire, "severity": "HIGH"}).values
