"""走访 records (issue 8 item 2): saving planned and done visits, validation in Chinese, the checklist
answers keeping their item texts (an old visit reads the same after the checklist files change), findings
and photos replaced through the outbox, the next visit planned, delete by tombstones."""

from __future__ import annotations

import dataclasses
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.enums import ChecklistAnswerValue, OrgType, OutboxOp, VisitMode, VisitStatus
from app.models import Attachment, ChecklistAnswer, Finding, OutboxEntry, Visit
from app.services.core import attachments, clock
from app.services.core.database import Database
from app.services.core.errors import StaleEditError, ValidationFailed
from app.services.orgs.dto import OrgInput
from app.services.orgs.organizations import create_org
from app.services.visits import checklists, current_checklist, delete_visit, list_visits, load_visit, save_visit
from app.services.visits.dto import AnswerInput, FindingInput, PhotoInput, VisitInput

ACTOR = "local:t"
YES, NO, NA = ChecklistAnswerValue.YES, ChecklistAnswerValue.NO, ChecklistAnswerValue.NOT_APPLICABLE
TODAY = date(2026, 3, 31)  # the frozen clock's civil day


@pytest.fixture
def org(db: Database, frozen_clock: clock.FrozenClock) -> str:
    return create_org(db.session_factory, OrgInput(name="温泉社区志愿服务队", org_type=OrgType.COMMUNITY_FILED),
                      actor=ACTOR).id


def done_visit(org: str, **changes: object) -> VisitInput:
    items = current_checklist().items
    answers = tuple(AnswerInput(item.code, YES) for item in items)
    base = VisitInput(org_id=org, status=VisitStatus.DONE, mode=VisitMode.ON_SITE, visited_on=date(2026, 3, 30),
                      start_time=time(9, 30), end_time=time(11, 0), met_with="理事长 王芳", answers=answers,
                      suggestions="建议建立党建工作台账", coordination="活动场地需街道协调")
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_a_done_visit_keeps_every_answer_with_its_item_text(db: Database, org: str) -> None:
    data = done_visit(org, findings=(FindingInput("党费收缴台账不完整", "C04"),))
    saved = save_visit(db.session_factory, data, actor=ACTOR)
    with db.session_factory() as session:
        rows = session.execute(select(ChecklistAnswer).where(ChecklistAnswer.visit_id == saved.id)).scalars().all()
        visit = session.get(Visit, saved.id)
    current = current_checklist()
    assert visit is not None and visit.checklist_version == current.version
    assert visit.started_at is not None and visit.started_at.time() == time(9, 30)
    assert {r.item_code: r.item_text for r in rows} == {i.code: i.text for i in current.items}
    loaded = load_visit(db.session_factory, saved.id)
    assert loaded.data.suggestions == "建议建立党建工作台账" and loaded.data.coordination == "活动场地需街道协调"
    assert [f.description for f in loaded.findings] == ["党费收缴台账不完整"]
    assert [i.code for i in loaded.checklist] == [i.code for i in current.items]


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"visited_on": date(2026, 4, 1)}, "visited_on", "不能晚于今天"),
    ({"status": VisitStatus.PLANNED, "visited_on": date(2026, 3, 30)}, "visited_on", "已经过去"),
    ({"start_time": time(11, 0), "end_time": time(10, 0)}, "end_time", "应晚于开始时刻"),
    ({"visited_on": TODAY, "start_time": time(21, 0), "end_time": None}, "start_time", "还没到"),
    ({"visited_on": None}, "visited_on", "请填写走访日期"),
    ({"next_visit_on": date(2026, 3, 29)}, "next_visit_on", "应晚于本次"),
    ({"answers": (AnswerInput("Z99", YES),)}, "answers", "不在"),
    ({"met_with": "人" * 201}, "met_with", "最多 200 字"),
])
def test_bad_input_is_refused_with_a_message_saying_what_to_fix(db: Database, org: str, changes: dict[str, object],
                                                                field: str, words: str) -> None:
    with pytest.raises(ValidationFailed) as raised:
        save_visit(db.session_factory, done_visit(org, **changes), actor=ACTOR)
    assert words in raised.value.problems[field]
    with db.session_factory() as session:
        assert session.execute(select(Visit)).first() is None


def test_a_plan_keeps_only_what_a_plan_has_and_a_no_without_finding_is_pointed_out(db: Database, org: str) -> None:
    plan = done_visit(org, status=VisitStatus.PLANNED, visited_on=date(2026, 4, 8), surprise=True,
                      findings=(FindingInput("x"),))
    saved = save_visit(db.session_factory, plan, actor=ACTOR)
    assert saved.data.answers == () and saved.data.findings == () and saved.data.suggestions == ""
    assert saved.data.surprise
    answers = (AnswerInput("C03", NO), *(AnswerInput(i.code, YES) for i in current_checklist().items[3:]))
    done = save_visit(db.session_factory, done_visit(org, answers=answers), actor=ACTOR)
    assert any("党建入章" in note and "答“否”" in note for note in done.notes)
    assert any("未回答" in note for note in done.notes)


def test_the_next_visit_is_planned_once(db: Database, org: str) -> None:
    data = done_visit(org, next_visit_on=date(2026, 4, 20), plan_next=True)
    first = save_visit(db.session_factory, data, actor=ACTOR)
    again = save_visit(db.session_factory, data, actor=ACTOR, visit_id=first.id)
    assert first.planned_next_id and again.planned_next_id == first.planned_next_id
    plans = list_visits(db.session_factory, status=VisitStatus.PLANNED).rows
    assert [(p.visited_on, p.mode) for p in plans] == [(date(2026, 4, 20), VisitMode.ON_SITE)]


def test_an_old_visit_reads_the_same_after_the_checklist_changes(db: Database, org: str, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    old_dir, new_dir = tmp_path / "old", tmp_path / "new"
    old_dir.mkdir()
    new_dir.mkdir()
    head = 'title = "检查表"\neffective = 2024-01-01\n'
    (old_dir / "2024.1.toml").write_text(
        f'version = "2024.1"\n{head}[[items]]\ncode = "C01"\ntext = "旧的第一项"\n'
        '[[items]]\ncode = "C08"\ntext = "财务管理"\n', encoding="utf-8")
    monkeypatch.setattr(checklists, "checklists_dir", lambda: old_dir)
    answers = (AnswerInput("C01", YES), AnswerInput("C08", NO, "账目不清"))
    saved = save_visit(db.session_factory, done_visit(org, answers=answers, checklist_version=""), actor=ACTOR)
    assert saved.data.checklist_version == "2024.1"
    # the files change: 2024.1 reworded, C08 dropped in a newer 2026.1
    (new_dir / "2024.1.toml").write_text(
        f'version = "2024.1"\n{head}[[items]]\ncode = "C01"\ntext = "改过的第一项"\n', encoding="utf-8")
    (new_dir / "2026.1.toml").write_text(
        'version = "2026.1"\ntitle = "检查表"\neffective = 2026-01-01\n[[items]]\ncode = "C01"\ntext = "新版第一项"\n'
        '[[items]]\ncode = "C10"\ntext = "党员教育"\n', encoding="utf-8")
    monkeypatch.setattr(checklists, "checklists_dir", lambda: new_dir)
    loaded = load_visit(db.session_factory, saved.id)
    assert [(i.code, i.text) for i in loaded.checklist] == [("C01", "旧的第一项"), ("C08", "财务管理")]
    assert loaded.data.checklist_version == "2024.1"
    # editing the old visit keeps its version and texts; a new visit is on the newest version
    edited = save_visit(db.session_factory, dataclasses.replace(loaded.data, met_with="秘书长"), actor=ACTOR,
                        visit_id=saved.id)
    assert [(i.code, i.text) for i in edited.checklist] == [("C01", "旧的第一项"), ("C08", "财务管理")]
    fresh = save_visit(db.session_factory, done_visit(org, answers=(AnswerInput("C10", YES),)), actor=ACTOR)
    assert fresh.data.checklist_version == "2026.1"
    assert [(i.code, i.text) for i in fresh.checklist][:1] == [("C10", "党员教育")]


def test_children_are_replaced_by_tombstones_and_photos_are_org_scoped(db: Database, org: str, tmp_path: Path,
                                                                       frozen_clock: clock.FrozenClock) -> None:
    folder = tmp_path / "attachments"
    source = tmp_path / "现场.jpg"
    source.write_bytes(b"\xff\xd8 photo")
    stored = attachments.store_file(folder, source)
    photo = PhotoInput(stored.sha256, stored.filename, stored.size, stored.mime_type, "宣传栏")
    data = done_visit(org, findings=(FindingInput("一"), FindingInput("二")), photos=(photo,))
    saved = save_visit(db.session_factory, data, actor=ACTOR, attachments_folder=folder)
    kept = saved.findings[1]
    again = dataclasses.replace(saved.data, findings=(FindingInput("二（改）", "", kept.id),), photos=())
    frozen_clock.advance(timedelta(minutes=5))
    edited = save_visit(db.session_factory, again, actor=ACTOR, visit_id=saved.id,
                        expected_updated_at=saved.updated_at, attachments_folder=folder)
    assert [(f.id, f.description) for f in edited.findings] == [(kept.id, "二（改）")]
    with db.session_factory() as session:
        rows = session.execute(select(Finding)).scalars().all()
        assert sum(r.deleted_at is not None for r in rows) == 1
        photo_row = session.execute(select(Attachment)).scalar_one()
        assert photo_row.org_id == org and photo_row.owner_entity == "visit" and photo_row.deleted_at is not None
        ops = {e.op for e in session.execute(select(OutboxEntry).where(OutboxEntry.entity == "finding")).scalars()}
        assert OutboxOp.DELETE in ops
    with pytest.raises(StaleEditError):
        save_visit(db.session_factory, again, actor=ACTOR, visit_id=saved.id, expected_updated_at=saved.updated_at,
                   attachments_folder=folder)


def test_list_filters_and_delete(db: Database, org: str) -> None:
    phone = save_visit(db.session_factory, done_visit(org, mode=VisitMode.PHONE, met_with="秘书长 李强",
                                                      findings=(FindingInput("宣传栏内容陈旧"),)), actor=ACTOR)
    save_visit(db.session_factory, done_visit(org, visited_on=date(2026, 2, 3)), actor=ACTOR)
    factory = db.session_factory
    assert list_visits(factory).total == 2
    assert [r.id for r in list_visits(factory, mode=VisitMode.PHONE).rows] == [phone.id]
    assert [r.id for r in list_visits(factory, text="宣传栏").rows] == [phone.id]
    assert [r.id for r in list_visits(factory, text="李强").rows] == [phone.id]
    assert list_visits(factory, open_findings_only=True).rows[0].open_findings == 1
    delete_visit(factory, phone.id, actor=ACTOR)
    assert list_visits(factory).total == 1
    with factory() as session:
        assert all(f.deleted_at is not None for f in session.execute(select(Finding)).scalars())
