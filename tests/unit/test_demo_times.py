"""The demo writes each kind of time as what it is (DESIGN §3 Time): meeting times civil (naive local),
the times follow-ups were recorded and organizations archived as instants (aware UTC)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, time

import pytest
from sqlalchemy import select, text

from app import paths
from app.demo.data import seed_demo
from app.demo.meetings import HOURS
from app.domain.enums import RectificationFollowUpKind
from app.models import Meeting, RectificationFollowUp, SocialOrg
from app.services.core import clock
from app.services.core.database import Database, open_database

TODAY = date(2026, 3, 31)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    with paths.temporary_home(tmp_path_factory.mktemp("demo")):  # demo data is written to the demo profile only
        database = open_database(paths.database_path(paths.DEMO_PROFILE))
        seed_demo(database.session_factory, orgs=60, years=1, seed=3, today=TODAY, me="local")
    yield database
    database.close()


def test_meeting_times_are_civil_hours_of_the_working_day(demo: Database) -> None:
    with demo.session_factory() as session:
        starts = session.scalars(select(Meeting.started_at)).all()
    hours = {hour for options in HOURS.values() for hour in options}
    assert starts and all(s.tzinfo is None and s.hour in hours and s.date() <= TODAY for s in starts)


def test_follow_ups_are_recorded_at_instants_within_local_office_hours(demo: Database) -> None:
    with demo.session_factory() as session:
        first = session.scalars(select(RectificationFollowUp.at)  # 签发: every item's first follow-up
                                .where(RectificationFollowUp.kind == RectificationFollowUpKind.ISSUE)).all()
        every = session.scalars(select(RectificationFollowUp.at)).all()
        stored = session.execute(text("SELECT at FROM rectification_follow_up WHERE kind = 'ISSUE'")).scalars()
        stored_times = {value[11:] for value in stored}
    assert first and all(at.tzinfo is UTC for at in every)
    assert {clock.to_civil(at).time() for at in first} == {time(9, 0)}  # issued at 09:00 local …
    assert stored_times == {"01:00:00.000000"}  # … which is 01:00 UTC, stored as UTC
    assert all(clock.civil_date(at) <= TODAY for at in every)  # none recorded after the demo's today


def test_archive_times_are_instants_at_ten_local(demo: Database) -> None:
    with demo.session_factory() as session:
        archived = session.scalars(select(SocialOrg.archived_at).where(SocialOrg.archived_at.is_not(None))).all()
        updated = session.scalars(select(SocialOrg.updated_at)).all()
    assert all(at.tzinfo is UTC for at in updated)
    assert all(clock.to_civil(at).time() == time(10, 0) for at in archived)
