"""Only the flush's own statements pass the statement guard: the ORM bulk methods (which mark the session
as flushing without a before_flush) and Core writes from an after_flush hook are refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import event, select, text, update
from sqlalchemy.orm import Session

from app.domain.enums import OrgType
from app.models import OutboxEntry, SocialOrg, new_id
from app.services.core.database import Database
from app.services.core.outbox import UnrecordedWriteError
from app.services.orgs.dto import OrgInput
from app.services.orgs.organizations import create_org


def _org(db: Database, name: str = "甲协会") -> str:
    data = OrgInput(name=name, org_type=OrgType.COMMUNITY_FILED, community_category="公益慈善类")
    return create_org(db.session_factory, data, actor="t").id


def _state(db: Database) -> tuple[list[str], int]:
    with db.session_factory() as session:
        names = sorted(session.execute(select(SocialOrg.name)).scalars())
        entries = len(session.execute(select(OutboxEntry.seq)).all())
    return names, entries


def test_bulk_update_mappings_after_a_flush_is_refused(db: Database) -> None:
    """Regression: after one flush, bulk_update_mappings renamed the row with no outbox entry for it."""
    org = _org(db)
    before = _state(db)
    with pytest.raises(UnrecordedWriteError), db.session_factory.begin() as session:
        row = session.get(SocialOrg, org)
        assert row is not None
        row.notes = "x"
        session.flush()
        session.bulk_update_mappings(SocialOrg, [{"id": org, "name": "改名协会"}])  # type: ignore[arg-type]
    assert _state(db) == before


def test_bulk_insert_mappings_after_a_flush_is_refused(db: Database) -> None:
    org = _org(db)
    before = _state(db)
    with pytest.raises(UnrecordedWriteError), db.session_factory.begin() as session:
        row = session.get(SocialOrg, org)
        assert row is not None
        row.notes = "x"
        session.flush()
        session.bulk_insert_mappings(SocialOrg, [  # type: ignore[arg-type]
            {"id": new_id(), "org_id": "z", "name": "暗中插入", "org_type": "COMMUNITY_FILED"}])
    assert _state(db) == before


def test_bulk_update_mappings_after_an_empty_flush_is_refused(db: Database) -> None:
    """A flush whose before_flush ran but which had nothing to write must not leave an opening either."""
    org = _org(db)
    before = _state(db)
    with pytest.raises(UnrecordedWriteError), db.session_factory.begin() as session:
        row = session.get(SocialOrg, org)
        assert row is not None
        row.notes = row.notes  # dirty without a net change: before_flush runs, nothing is written
        session.flush()
        session.bulk_update_mappings(SocialOrg, [{"id": org, "name": "改名协会"}])  # type: ignore[arg-type]
    assert _state(db) == before


@pytest.fixture
def sneaky_hook(db: Database) -> Iterator[None]:
    def after_flush(session: Session, _context: object) -> None:
        session.connection().execute(update(SocialOrg).values(notes="sneaky"))

    event.listen(db.session_factory, "after_flush", after_flush)
    yield
    event.remove(db.session_factory, "after_flush", after_flush)


@pytest.mark.usefixtures("sneaky_hook")
def test_a_core_write_of_a_synced_column_from_an_after_flush_hook_is_refused(db: Database) -> None:
    """Regression: a hook wrote notes='sneaky' during the flush while the outbox still carried notes=''."""
    with pytest.raises(UnrecordedWriteError):
        _org(db)
    assert _state(db) == ([], 0)


def test_the_flush_and_its_keepers_still_write(db: Database) -> None:
    """The flush's own statements pass, and keepers may set derived columns during it."""
    org = _org(db)
    with db.session_factory.begin() as session:
        row = session.get(SocialOrg, org)
        assert row is not None
        row.name = "乙协会"
        session.flush()
        session.execute(text("UPDATE social_org SET derived_coverage = derived_coverage WHERE id = :i"), {"i": org})
    names, entries = _state(db)
    assert names == ["乙协会"] and entries == 1
