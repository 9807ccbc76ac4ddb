"""``admin create-user`` / ``revoke-device`` / ``list-users`` / ``assign`` / ``unassign`` / ``list-orgs``,
good input and bad: a bad one is one line on stderr, a non-zero exit and nothing changed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import wire
from server.app import create_app
from server.config import Settings
from server.db import make_engine, make_sessionmaker, upgrade
from server.models import Device, OrgAssignment, Record, User
from server.store import current_version
from tests.server.admin_cli import Outcome, run_server_cli
from tests.server.conftest import PROTOCOL, bearer

PASSWORD = "secret-pass-1"


@pytest.fixture
def admin(settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Any:
    monkeypatch.setenv("DANGJIAN_SERVER_HOME", str(settings.home))
    monkeypatch.setenv("DATABASE_URL", settings.database_url)  # SQLite in the home, or the test's PostgreSQL

    def run(*args: str, stdin: str = "") -> Outcome:
        return run_server_cli(monkeypatch, capsys, "admin", *args, stdin=stdin)

    return run


def _failed(outcome: Outcome, *words: str) -> None:
    assert outcome.code != 0
    assert len(outcome.err.strip().splitlines()) == 1, outcome.err
    assert "Traceback" not in outcome.err
    for word in words:
        assert word in outcome.err, outcome.err


@contextmanager
def _served(settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings)
    try:
        with TestClient(app) as client:
            yield client
    finally:
        app.state.engine.dispose()


@contextmanager
def _session(settings: Settings) -> Iterator[Session]:
    engine = make_engine(settings)
    try:
        upgrade(settings, engine)  # a command refused before it opened the database left none behind
        with make_sessionmaker(engine)() as session:
            yield session
    finally:
        engine.dispose()


def test_create_user_makes_an_account_that_signs_in(admin: Any, settings: Settings) -> None:
    made = admin("create-user", "zhang.san", "--role", "instructor", "--password-stdin", "--display-name", "张三",
                 stdin=PASSWORD + "\n")
    assert made.code == 0 and "zhang.san" in made.out
    with _served(settings) as client:
        answer = client.post(f"{wire.PREFIX}/auth/login", headers=PROTOCOL,
                             json={"username": "zhang.san", "password": PASSWORD, "device_id": "d1", "device_name": ""})
        assert answer.status_code == 200 and answer.json()["user"]["display_name"] == "张三"
    with _session(settings) as session:
        user = session.execute(select(User)).scalar_one()
        instructor = session.get(Record, ("instructor", user.id))
        assert instructor is not None and instructor.scope == "district"
        assert instructor.data == {"id": user.id, "username": "zhang.san", "name": "张三", "phone": "",
                                   "sub_district": "", "deleted_at": None, "updated_at": instructor.data["updated_at"],
                                   "updated_by": "admin"}


def test_a_supervisor_has_no_instructor_record(admin: Any, settings: Settings) -> None:
    assert admin("create-user", "wang", "--role", "supervisor", "--password-stdin", stdin=PASSWORD).code == 0
    with _session(settings) as session:
        assert session.execute(select(Record)).first() is None and current_version(session) == 0


@pytest.mark.parametrize(("args", "stdin", "words"), [
    (("Zhang",), PASSWORD, ("用户名",)),
    (("-bad",), PASSWORD, ()),
    (("zhang_",), PASSWORD, ("用户名",)),
    (("a" * 65,), PASSWORD, ("用户名",)),
    (("zhang",), "short", ("至少 8",)),
    (("zhang",), "", ("密码",)),
])
def test_create_user_refuses_bad_input(admin: Any, settings: Settings, args: tuple[str, ...], stdin: str,
                                       words: tuple[str, ...]) -> None:
    _failed(admin("create-user", *args, "--role", "instructor", "--password-stdin", stdin=stdin), *words)
    with _session(settings) as session:
        assert session.execute(select(User)).first() is None


def test_create_user_refuses_a_duplicate_a_bad_role_and_missing_options(admin: Any) -> None:
    assert admin("create-user", "zhang", "--role", "instructor", "--password-stdin", stdin=PASSWORD).code == 0
    _failed(admin("create-user", "zhang", "--role", "admin", "--password-stdin", stdin=PASSWORD), "已存在")
    _failed(admin("create-user", "li", "--role", "boss", "--password-stdin", stdin=PASSWORD), "boss")
    _failed(admin("create-user", "li", "--role", "admin"), "--password-stdin")
    _failed(admin("no-such-command"), "no-such-command")


def test_every_command_has_chinese_help(admin: Any, capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("create-user", "import-orgs", "assign", "unassign", "revoke-device", "list-users", "list-orgs"):
        with pytest.raises(SystemExit) as done:
            admin(command, "--help")
        assert done.value.code == 0
        assert "用法" in capsys.readouterr().out


def _add_org(settings: Settings, org_id: str, name: str, uscc: str) -> None:
    from server.ledger.import_orgs import empty_org
    from server.store import next_version, write_record

    with _session(settings) as session:
        data = empty_org(org_id)
        data.update(name=name, org_type="SOCIAL_GROUP", uscc=uscc)
        write_record(session, entity="social_org", record_id=org_id, scope=f"org:{org_id}", data=data,
                     version=next_version(session), user_id="")
        session.commit()


def test_assign_and_unassign_by_code_or_id(admin: Any, settings: Settings) -> None:
    assert admin("create-user", "zhang", "--role", "instructor", "--password-stdin", stdin=PASSWORD).code == 0
    _add_org(settings, "org-1", "书法家协会", "51330102MJ0000001X")
    _add_org(settings, "org-2", "舞蹈队", "")
    done = admin("assign", "zhang", "--org", "51330102mj0000001x", "org-2")
    assert done.code == 0 and "2" in done.out
    assert admin("assign", "zhang", "--org", "org-1").code == 0  # again: nothing new
    with _session(settings) as session:
        assert {a.org_id for a in session.execute(select(OrgAssignment)).scalars()} == {"org-1", "org-2"}
        records = session.execute(select(Record).where(Record.entity == "assignment")).scalars().all()
        assert sorted(r.scope for r in records) == ["org:org-1", "org:org-2"]
        assert all(r.data["until"] is None and r.data["since"] for r in records)
    listed = admin("list-orgs")
    assert listed.code == 0 and "书法家协会" in listed.out and "zhang" in listed.out
    assert "组织 2 个" in admin("list-users").out
    assert admin("unassign", "zhang", "--org", "org-1").code == 0
    with _session(settings) as session:
        assert {a.org_id for a in session.execute(select(OrgAssignment)).scalars()} == {"org-2"}


def test_assign_names_unknown_orgs_and_changes_nothing(admin: Any, settings: Settings) -> None:
    assert admin("create-user", "zhang", "--role", "instructor", "--password-stdin", stdin=PASSWORD).code == 0
    _add_org(settings, "org-1", "书法家协会", "51330102MJ0000001X")
    with _session(settings) as session:
        before = current_version(session)
    _failed(admin("assign", "zhang", "--org", "org-1", "nope-a", "nope-b"), "nope-a", "nope-b")
    _failed(admin("unassign", "zhang", "--org", "nope-c"), "nope-c")
    _failed(admin("assign", "nobody", "--org", "org-1"), "nobody")
    with _session(settings) as session:
        assert session.execute(select(OrgAssignment)).first() is None and current_version(session) == before


def test_revoke_device_one_or_all(admin: Any, settings: Settings) -> None:
    assert admin("create-user", "zhang", "--role", "instructor", "--password-stdin", stdin=PASSWORD).code == 0
    with _served(settings) as client:
        pairs = {}
        for device in ("laptop", "desktop", "tablet"):
            pairs[device] = client.post(f"{wire.PREFIX}/auth/login", json={
                "username": "zhang", "password": PASSWORD, "device_id": device, "device_name": device}).json()
        assert admin("revoke-device", "zhang", "--device", "laptop").code == 0
        assert client.get(f"{wire.PREFIX}/meta", headers=bearer(pairs["laptop"])).status_code == 401
        assert client.get(f"{wire.PREFIX}/meta", headers=bearer(pairs["desktop"])).status_code == 200
        assert "laptop(已停用)" in admin("list-users").out
        _failed(admin("revoke-device", "zhang", "--device", "phone"), "phone")
        _failed(admin("revoke-device", "nobody"), "nobody")
        assert admin("revoke-device", "zhang").code == 0
        for pair in pairs.values():
            assert client.get(f"{wire.PREFIX}/meta", headers=bearer(pair)).status_code == 401
    with _session(settings) as session:
        assert all(d.revoked_at is not None for d in session.execute(select(Device)).scalars())


def test_a_bad_database_url_is_one_line(admin: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://someone@host/db")
    _failed(admin("list-users"), "DATABASE_URL")
    monkeypatch.setenv("DATABASE_URL", "not a url")
    _failed(admin("list-users"), "DATABASE_URL")
