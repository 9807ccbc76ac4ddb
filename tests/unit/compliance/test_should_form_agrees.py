"""应建未建 is worked out in two places: the 党组织 view's list (``party.should_form_branch_orgs``, one pass
over the members of the day) and the compliance engine (from the roster it loads for every rule).  On
the demo district they must name the same organizations."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app import paths
from app.demo.data import seed_demo
from app.domain.compliance import RuleId
from app.services.compliance import findings, refresh_all
from app.services.core.database import open_database
from app.services.meetings.policy import load_policy
from app.services.party import should_form_branch_orgs

TODAY = date(2026, 11, 20)


def test_the_party_view_and_the_engine_name_the_same_organizations(tmp_path: Path) -> None:
    with paths.temporary_home(tmp_path / "home"):  # demo data goes into a demo profile only
        database = open_database(paths.database_path(paths.DEMO_PROFILE))
    try:
        seed_demo(database.session_factory, orgs=300, years=1, seed=11, today=TODAY, me="local")
        with database.session_factory.begin() as session:
            refresh_all(session, today=TODAY, policy=load_policy())
        with database.session_factory() as session:
            listed = {row.org_id for row in should_form_branch_orgs(session, today=TODAY)}
            found = {f.org_id for f in findings(session, rules=[RuleId.BRANCH_SHOULD_FORM])}
    finally:
        database.close()
    assert listed, "the demo district has organizations that should form their own branch"
    assert found == listed
