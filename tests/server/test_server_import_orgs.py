"""``admin import-orgs``: the client's own 组织台账 export read by the server.

The file is made by the client (app.services.ledger_io.export on a temporary client database), so the
server's copy of the header mapping is checked against what the client really writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import wire
from app.domain.enums import ORG_TYPE_LABELS, EvaluationGrade
from app.domain.uscc import make_code
from app.models.org import SocialOrg
from app.services.core.database import Database
from app.services.core.outbox import wire_value
from app.services.ledger_io.columns import COLUMNS
from app.services.ledger_io.export import export_ledger
from app.services.orgs import organizations
from app.services.orgs.dto import OrgInput, OrgType
from server.config import Settings
from server.db import make_engine, make_sessionmaker, upgrade
from server.ledger import columns as server_columns
from server.models import Record
from server.store import current_version
from tests.server.admin_cli import Outcome, run_server_cli

FULL = OrgInput(
    name="鼓楼区书法家协会", org_type=OrgType.SOCIAL_GROUP, short_name="书协",
    uscc=make_code("1", "350102", "MJ0000001"),
    legal_representative="张三", registration_authority="鼓楼区民政局", supervisory_unit="鼓楼区文联",
    industry_department="鼓楼区文体局", founded_on=date(2015, 6, 1), sub_district="东街街道", community="斗池社区",
    address="鼓楼区东街 8 号", contact_person="李四", contact_phone="13800000000", staff_count=3, member_count=120,
    party_member_count=5, evaluation_grade=EvaluationGrade.A4, evaluation_date=date(2022, 12, 1),
    party_clause_in_charter=True, party_clause_approved_on=date(2019, 7, 1), notes="第一行\n第二行")
DANCE = OrgInput(name="东街舞蹈队", org_type=OrgType.COMMUNITY_FILED, community_category="文体活动类",
                 sub_district="东街街道")
# The client's columns that stand for something other than a social_org field of the same name.
NOT_FIELDS = {"archived"}


def test_the_server_header_mapping_is_the_clients() -> None:
    assert {h: field for h, (field, _) in server_columns.HEADERS.items()} == {c.header: c.key for c in COLUMNS}
    assert {h: kind for h, (_, kind) in server_columns.HEADERS.items()} == {c.header: c.kind.value for c in COLUMNS}
    assert {label: org_type.value for org_type, label in ORG_TYPE_LABELS.items()} == server_columns.ORG_TYPES
    assert tuple(grade.value for grade in EvaluationGrade) == server_columns.GRADES
    assert {c.key for c in COLUMNS} - NOT_FIELDS <= set(wire.ENTITY_FIELDS["social_org"])


@pytest.fixture
def admin(settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Any:
    monkeypatch.setenv("DANGJIAN_SERVER_HOME", str(settings.home))
    monkeypatch.setenv("DATABASE_URL", settings.database_url)  # SQLite in the home, or the test's PostgreSQL

    def run(*args: str) -> Outcome:
        return run_server_cli(monkeypatch, capsys, "admin", *args)

    return run


@contextmanager
def _session(settings: Settings) -> Iterator[Session]:
    engine = make_engine(settings)
    try:
        upgrade(settings, engine)
        with make_sessionmaker(engine)() as session:
            yield session
    finally:
        engine.dispose()


def _orgs(settings: Settings) -> dict[str, Record]:
    with _session(settings) as session:
        rows = session.execute(select(Record).where(Record.entity == "social_org")).scalars()
        return {str(row.data["name"]): row for row in rows}


def _export(db: Database, path: Path) -> Path:
    export_ledger(db.session_factory, path)
    return path


def _client_wire(db: Database, name: str) -> dict[str, Any]:
    """What the client's outbox would send for the organization: the fields the server must hold alike."""
    with db.session_factory() as session:
        row = session.execute(select(SocialOrg).where(SocialOrg.name == name)).scalar_one()
        return {key: wire_value(getattr(row, key)) for key in wire.ENTITY_FIELDS["social_org"]}


def test_import_creates_every_organization_with_the_clients_wire_fields(db: Database, tmp_path: Path,
                                                                         settings: Settings, admin: Any) -> None:
    organizations.create_org(db.session_factory, FULL, actor="t")
    organizations.create_org(db.session_factory, DANCE, actor="t")
    done = admin("import-orgs", str(_export(db, tmp_path / "台账.xlsx")))
    assert done.code == 0 and "新增 2" in done.out, done.err
    orgs = _orgs(settings)
    assert set(orgs) == {FULL.name, DANCE.name}
    for name, record in orgs.items():
        assert record.scope == f"org:{record.id}" and record.data["org_id"] == record.id == record.data["id"]
        assert set(record.data) == set(wire.ENTITY_FIELDS["social_org"])
        client = _client_wire(db, name)
        skip = {"id", "org_id", "updated_at", "updated_by"}
        assert {k: v for k, v in record.data.items() if k not in skip} == \
            {k: v for k, v in client.items() if k not in skip}


def test_reimporting_the_same_file_changes_nothing(db: Database, tmp_path: Path, settings: Settings,
                                                   admin: Any) -> None:
    organizations.create_org(db.session_factory, FULL, actor="t")
    organizations.create_org(db.session_factory, DANCE, actor="t")
    path = _export(db, tmp_path / "台账.xlsx")
    assert admin("import-orgs", str(path)).code == 0
    with _session(settings) as session:
        version = current_version(session)
    before = {name: (r.version, r.data) for name, r in _orgs(settings).items()}
    again = admin("import-orgs", str(path))
    assert again.code == 0 and "（0 changed）" in again.out, again.out
    assert {name: (r.version, r.data) for name, r in _orgs(settings).items()} == before
    with _session(settings) as session:
        assert current_version(session) == version


def test_a_changed_file_updates_by_code_or_name(db: Database, tmp_path: Path, settings: Settings,
                                                admin: Any) -> None:
    organizations.create_org(db.session_factory, FULL, actor="t")
    organizations.create_org(db.session_factory, DANCE, actor="t")
    path = _export(db, tmp_path / "台账.xlsx")
    assert admin("import-orgs", str(path)).code == 0
    before = _orgs(settings)
    ids = {name: r.id for name, r in before.items()}
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        cells = dict(zip(header, row, strict=True))
        if cells["组织名称"].value == FULL.name:
            cells["组织名称"].value = "鼓楼区书法家协会（更名）"  # matched by its code
            cells["党员人数"].value = 9
        else:
            cells["联系电话"].value = "0591-88888888"  # no code: matched by its name
            cells["归档"].value = "是"
    sheet.append(["新成立读书会", None, "社区社会组织(备案)"])
    book.save(path)
    done = admin("import-orgs", str(path))
    assert done.code == 0 and "新增 1" in done.out and "更新 2" in done.out, done.out
    orgs = _orgs(settings)
    renamed = orgs["鼓楼区书法家协会（更名）"]
    assert renamed.id == ids[FULL.name] and renamed.data["party_member_count"] == 9
    dance = orgs[DANCE.name]
    assert dance.id == ids[DANCE.name] and dance.data["contact_phone"] == "0591-88888888"
    assert dance.data["archived_at"]
    assert orgs["新成立读书会"].data["org_type"] == "COMMUNITY_FILED"
    assert len({r.version for r in orgs.values()}) == 1  # one import, one district version
    assert renamed.version > max(r.version for r in before.values())


@pytest.mark.parametrize(("edit", "words"), [
    (("组织类型", "协会"), ("第 2 行", "组织类型", "协会")),
    (("成立日期", "去年"), ("第 2 行", "成立日期")),
    (("党员人数", "-3"), ("第 2 行", "党员人数")),
    (("评估等级", "6A"), ("第 2 行", "评估等级")),
])
def test_a_bad_cell_is_one_line_and_nothing_is_imported(db: Database, tmp_path: Path, settings: Settings,
                                                       admin: Any, edit: tuple[str, str],
                                                       words: tuple[str, ...]) -> None:
    organizations.create_org(db.session_factory, FULL, actor="t")
    path = _export(db, tmp_path / "台账.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    column = [c.value for c in sheet[1]].index(edit[0])
    sheet.cell(row=2, column=column + 1).value = edit[1]
    book.save(path)
    done = admin("import-orgs", str(path))
    assert done.code == 1 and len(done.err.strip().splitlines()) == 1 and "Traceback" not in done.err
    assert all(word in done.err for word in words), done.err
    assert _orgs(settings) == {}


def test_files_that_cannot_be_imported(tmp_path: Path, admin: Any) -> None:
    missing = admin("import-orgs", str(tmp_path / "没有.xlsx"))
    assert missing.code == 1 and "找不到" in missing.err
    text = tmp_path / "台账.xlsx"
    text.write_text("not a workbook", encoding="utf-8")
    assert "无法读取" in admin("import-orgs", str(text)).err
    book = openpyxl.Workbook()
    book.active.append(["名字", "电话"])
    book.save(tmp_path / "other.xlsx")
    headless = admin("import-orgs", str(tmp_path / "other.xlsx"))
    assert headless.code == 1 and "组织名称" in headless.err
