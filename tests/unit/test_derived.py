"""core.derived: keepers are told what each write path wrote, and skipped only for edits of columns they do
not derive from."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session

from app.domain.enums import OrgType
from app.models import Assignment, SocialOrg, new_id
from app.services.core import derived
from app.services.core.database import Database
from app.services.core.outbox import record_upsert
from app.services.orgs import search
from app.services.orgs.dto import OrgInput
from app.services.orgs.facts import refresh_derived_facts
from app.services.orgs.ledger import ledger_rows
from app.services.orgs.organizations import create_org, get_org, update_org
from app.services.orgs.quick_find import search_orgs

TODAY = date(2026, 6, 15)


@pytest.fixture
def heard() -> Iterator[list[tuple[str, frozenset[str]]]]:
    calls: list[tuple[str, frozenset[str]]] = []

    def keeper(_session: Session, table: str, ids: frozenset[str]) -> None:
        calls.append((table, ids))

    derived.keep_in_step("test_table", watching={"test_table": ("name",)})(keeper)
    yield calls
    derived._KEEPERS.pop("test_table", None)
    derived._WATCHED.pop(("test_table", keeper), None)


def test_a_keeper_watching_columns_is_skipped_only_for_edits_of_other_columns(
    heard: list[tuple[str, frozenset[str]]],
) -> None:
    session = Session()
    derived.rows_changed(session, {"test_table": ["a"]}, {"test_table": {"notes", "updated_at"}})
    assert heard == []
    derived.rows_changed(session, {"test_table": ["a"]}, {"test_table": {"name"}})
    derived.rows_changed(session, {"test_table": ["b"]}, {"test_table": None})  # new rows: not known
    derived.rows_changed(session, {"test_table": ["c"]})  # bulk loads and pulls say nothing of columns
    assert heard == [("test_table", frozenset({"a"})), ("test_table", frozenset({"b"})),
                     ("test_table", frozenset({"c"}))]


def test_an_edit_of_notes_does_not_reindex_but_a_rename_does(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    detail = create_org(db.session_factory, OrgInput(name="温泉社区书画社", org_type=OrgType.COMMUNITY_FILED),
                        actor="t")
    reindexed: list[frozenset[str]] = []
    original = search.reindex_orgs
    monkeypatch.setattr(search, "reindex_orgs", lambda s, ids: (reindexed.append(frozenset(ids)), original(s, ids)))
    detail = update_org(db.session_factory, detail.id, dataclasses.replace(detail.data, notes="每周二活动"),
                        actor="t")
    assert reindexed == []
    update_org(db.session_factory, detail.id, dataclasses.replace(detail.data, name="温泉社区书法社"), actor="t")
    assert reindexed == [frozenset({detail.id})]
    assert [h.id for h in search_orgs(db.session_factory, "书法社")] == [detail.id]


def test_a_reference_leaving_an_organization_re_derives_it_in_a_flush_that_also_edits_it(db: Database) -> None:
    """The organization an assignment leaves is reported as 'columns not known' even when the same flush
    edited that organization's notes (which alone would not re-derive its facts)."""
    a = create_org(db.session_factory, OrgInput(name="甲协会", org_type=OrgType.COMMUNITY_FILED), actor="t")
    b = create_org(db.session_factory, OrgInput(name="乙协会", org_type=OrgType.COMMUNITY_FILED), actor="t")
    refresh_derived_facts(db.session_factory, today=TODAY)
    assignment = Assignment(id=new_id(), org_id=a.id, instructor_id=new_id(), since=TODAY - timedelta(days=30))
    with db.session_factory.begin() as session:
        record_upsert(session, assignment, actor="t")
    assert ledger_rows(db.session_factory, [a.id], today=TODAY)[0].coverage.value == "WORK"
    with db.session_factory.begin() as session:
        moved = session.get(Assignment, assignment.id)
        org_a = session.get(SocialOrg, a.id)
        assert moved is not None and org_a is not None
        moved.org_id = b.id
        org_a.notes = "指导员已调整"
    rows = {r.id: r.coverage.value for r in ledger_rows(db.session_factory, [a.id, b.id], today=TODAY)}
    assert rows == {a.id: "NONE", b.id: "WORK"}
    assert get_org(db.session_factory, a.id, today=TODAY).coverage.value == "NONE"


def test_every_module_that_registers_keepers_is_named_to_the_keeper_loader() -> None:
    """Keepers register when their module is imported, and ``app.services``'s loader imports the modules it
    names before the first write: a keeper in a module it does not name would silently never run in a
    process that had not imported that module."""
    from pathlib import Path

    import app.services as services

    root = Path(services.__file__).parent
    registering = {"app." + ".".join(path.relative_to(root.parent).with_suffix("").parts)
                   for path in root.rglob("*.py") if "@derived.keep_in_step(" in path.read_text(encoding="utf-8")}
    assert registering  # the scan sees the keepers there are
    assert set(services.KEEPER_MODULES) == registering
