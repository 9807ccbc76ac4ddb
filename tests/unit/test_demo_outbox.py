"""Demo data never enters the outbox (DESIGN §3): edits made in the demo profile are stamped and kept in
step with their derived data, but queue no entry."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import paths
from app.domain.enums import OrgType
from app.models import OutboxEntry, PartyOrg, SocialOrg, new_id
from app.services.core.database import Database, open_database
from app.services.core.outbox import bulk_load, record_upsert, tombstone
from app.services.orgs.dto import OrgInput
from app.services.orgs.ledger import search_orgs
from app.services.orgs.organizations import create_org


@pytest.fixture
def demo_db(migrated_template: Path) -> Iterator[Database]:
    path = paths.database_path(paths.DEMO_PROFILE)
    shutil.copyfile(migrated_template, path)
    database = open_database(path)
    yield database
    database.close()


def _outbox(db: Database) -> int:
    with db.session_factory() as session:
        return int(session.execute(select(func.count()).select_from(OutboxEntry)).scalar_one())


def test_edits_in_the_demo_profile_queue_no_outbox_entry(demo_db: Database) -> None:
    """Regression: create_org on the demo profile's database took the outbox from 0 to 1."""
    org_id = create_org(demo_db.session_factory, OrgInput(name="鼓楼区演示协会", org_type=OrgType.COMMUNITY_FILED),
                        actor="演示").id
    with demo_db.session_factory.begin() as session:
        row = session.get(SocialOrg, org_id)
        assert row is not None
        row.name = "鼓楼区改名协会"
        assert record_upsert(session, row, actor="编辑") is None
        party_id = new_id()
        session.add(PartyOrg(id=party_id, party_org_id=party_id, name="演示支部", level="BRANCH", formation="SINGLE"))
        session.flush()
        assert tombstone(session, session.get(PartyOrg, party_id), actor="编辑") is None  # type: ignore[arg-type]
        bulk_load(session, PartyOrg, [{"party_org_id": "p2", "name": "乙支部", "level": "BRANCH",
                                       "formation": "SINGLE"}], actor="导入")
    assert _outbox(demo_db) == 0
    with demo_db.session_factory() as session:
        row = session.get(SocialOrg, org_id)
        assert row is not None and row.updated_by == "编辑" and row.updated_at is not None
    assert {hit.id for hit in search_orgs(demo_db.session_factory, "改名", limit=10)} == {org_id}  # keepers ran


def test_edits_in_another_profile_still_queue_entries(db: Database) -> None:
    create_org(db.session_factory, OrgInput(name="鼓楼区协会", org_type=OrgType.COMMUNITY_FILED), actor="t")
    assert _outbox(db) == 1
