"""``python -m server demo-init``: the demo district `make server` serves, made once."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app import wire
from app.services.core.database import Database
from server.app import create_app
from server.config import Settings
from server.demo import ACCOUNTS, ORGS, uscc
from server.models import OrgAssignment, Record, User
from server.store import current_version
from tests.server.admin_cli import run_server_cli
from tests.server.conftest import PROTOCOL, bearer


def _count(session: Any, entity: str) -> int:
    return int(session.execute(select(func.count()).select_from(Record).where(Record.entity == entity)).scalar())


def test_demo_init_fills_an_empty_district_once(settings: Settings, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DANGJIAN_SERVER_HOME", str(settings.home))
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    first = run_server_cli(monkeypatch, capsys, "demo-init")
    assert first.code == 0
    assert all(name in first.out and password in first.out for name, _, _, password in ACCOUNTS)
    app = create_app(settings)
    try:
        with app.state.sessionmaker() as session:
            assert session.execute(select(func.count()).select_from(User)).scalar() == len(ACCOUNTS)
            assert _count(session, "social_org") == len(ORGS) == 20
            assert _count(session, "instructor") == 2 and _count(session, "assignment") == 16
            assert session.execute(select(func.count()).select_from(OrgAssignment)).scalar() == 16
            version = current_version(session)
        again = run_server_cli(monkeypatch, capsys, "demo-init")
        assert again.code == 0 and "未改动" in again.out
        with app.state.sessionmaker() as session:
            assert current_version(session) == version
        name, _, _, password = ACCOUNTS[0]
        with TestClient(app) as client:
            pair = client.post(f"{wire.PREFIX}/auth/login", headers=PROTOCOL, json={
                "username": name, "password": password, "device_id": "demo-laptop", "device_name": ""}).json()
            meta = client.get(f"{wire.PREFIX}/meta", headers=bearer(pair)).json()
            assert len(meta["assigned_org_ids"]) == 8
    finally:
        app.state.engine.dispose()


def test_demo_codes_are_well_formed() -> None:
    from app.domain.enums import OrgType
    from app.domain.uscc import Severity, validate

    for serial, (_, org_type, digit) in enumerate(ORGS, start=1):
        if org_type != "COMMUNITY_FILED":
            assert validate(uscc(digit, serial), OrgType(org_type)).severity is Severity.OK


def test_every_demo_organization_passes_the_workbenchs_form(db: Database) -> None:
    """Signed in to the demo, an instructor's first edit of any organization must not be refused for a field
    the demo left empty (a walkthrough found every registered one lacking its 登记管理机关)."""
    from dataclasses import fields

    from app.domain.enums import OrgType
    from app.services.orgs.dto import OrgInput
    from app.services.orgs.validation import check_org_input
    from server.demo import SUB_DISTRICTS, _org_data

    names = {f.name for f in fields(OrgInput)}
    for serial, (name, org_type, digit) in enumerate(ORGS, start=1):
        data = _org_data(serial, name, org_type, digit, "2026-12-01T00:00:00+00:00")
        values = {key: value for key, value in data.items() if key in names and value is not None}
        form = OrgInput(**{**values, "org_type": OrgType(org_type)})
        with db.session_factory() as session:
            check = check_org_input(session, form, org_id=None, today=date(2026, 12, 1))
        assert check.problems == {}, (name, check.problems)
        prefix = next((s for s in SUB_DISTRICTS if name.startswith(s[:2])), None)
        assert prefix is None or data["sub_district"] == prefix  # 城关…协会 lies in 城关街道
