"""Drafts: a half-filled form survives a crash (kill -9), a close with 保留草稿, and is offered back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app import paths
from app.services.core.database import Database
from app.services.core.drafts import Draft, DraftStore
from app.services.orgs import organizations
from app.services.orgs.dto import OrgDetail, OrgType
from app.ui.context import UiContext
from app.ui.dialogs import org_dialog
from app.ui.dialogs.org_dialog import OrgDialog
from app.ui.drafts import DraftKeeper
from app.ui.tasks import ImmediateTaskRunner

ROOT = Path(__file__).resolve().parents[2]
TypeChinese = Callable[[QWidget, str], None]


@pytest.fixture
def store() -> DraftStore:
    return DraftStore(paths.drafts_dir("local"))


class Prompts:
    """The draft prompts shown (``shown``) and the answers to give (``answers``: True = 恢复)."""

    def __init__(self) -> None:
        self.shown: list[str] = []
        self.answers: list[bool] = []


@pytest.fixture
def prompts(monkeypatch: pytest.MonkeyPatch) -> Prompts:
    found = Prompts()

    def ask(self: OrgDialog, draft: Draft) -> bool:
        found.shown.append(self.draft_prompt(draft))
        return found.answers.pop(0)

    monkeypatch.setattr(OrgDialog, "ask_restore_draft", ask)
    monkeypatch.setattr(OrgDialog, "ask_close", lambda _self: org_dialog.DISCARD)
    return found


def open_form(qtbot: QtBot, ctx: UiContext, detail: OrgDetail | None = None) -> OrgDialog:
    dialog = OrgDialog(ctx, detail)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


# -- the keeper ------------------------------------------------------------------------------------
def test_the_keeper_writes_once_a_second_after_the_last_change(qtbot: QtBot, ctx: UiContext, store: DraftStore) -> None:
    form = QWidget()
    qtbot.addWidget(form)
    values = {"name": ""}
    keeper = DraftKeeper(ctx, form, kind="test", key="new", collect=lambda: dict(values), delay_ms=200)
    keeper.load(lambda _draft: pytest.fail("there is no draft yet"))
    for char in "鼓楼区":
        values["name"] += char
        keeper.touch()
        qtbot.wait(50)
    assert keeper.writes == 0 and store.load("test", "new") is None, "no write while the user types"
    qtbot.waitUntil(lambda: keeper.writes == 1, timeout=2000)
    draft = store.load("test", "new")
    assert draft is not None and draft.values == {"name": "鼓楼区"}
    qtbot.wait(300)
    assert keeper.writes == 1, "one write per pause, not per keystroke"


def test_a_discard_is_never_undone_by_a_write_still_in_flight(
    qtbot: QtBot, ctx: UiContext, runner: ImmediateTaskRunner, store: DraftStore
) -> None:
    form = QWidget()
    qtbot.addWidget(form)
    keeper = DraftKeeper(ctx, form, kind="test", key="new", collect=lambda: {"name": "写到一半"})
    keeper.load(lambda _draft: None)
    runner.paused = True
    keeper.save_now()  # on its way to the disk ...
    keeper.discard()  # ... when the form is saved
    assert len(runner.pending) == 1, "the delete waits for the write"
    runner.run_pending()
    assert store.load("test", "new") is None and not keeper.pending


def test_nothing_is_written_before_the_old_draft_was_offered(
    qtbot: QtBot, ctx: UiContext, runner: ImmediateTaskRunner, store: DraftStore
) -> None:
    old = store.save("test", "new", {"name": "上次的内容"})
    form = QWidget()
    qtbot.addWidget(form)
    found: list[Draft] = []
    keeper = DraftKeeper(ctx, form, kind="test", key="new", collect=lambda: {"name": "新的"})
    runner.paused = True
    keeper.load(found.append)
    keeper.save_now()
    runner.run_pending()
    assert found == [old], "the old draft was read before anything replaced it"
    assert store.load("test", "new") != old  # then the new values were written


# -- the organization form -------------------------------------------------------------------------
def test_a_closed_form_keeps_its_draft_and_offers_it_back(
    qtbot: QtBot, ctx: UiContext, store: DraftStore, prompts: Prompts, type_chinese: TypeChinese,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dialog = open_form(qtbot, ctx)
    dialog.editor("org_type").set_value(OrgType.COMMUNITY_FILED)
    dialog.editor("community_category").set_value("文体活动类")
    type_chinese(dialog.editor("name"), "黄巷社区腰鼓队")
    dialog.editor("founded_on").setText("2019年5月")  # half a date survives as typed
    dialog.editor("member_count").setText("40")
    monkeypatch.setattr(OrgDialog, "ask_close", lambda _self: org_dialog.KEEP)
    dialog.reject()
    assert not dialog.isVisible()
    draft = store.load("org", "new")
    assert draft is not None and draft.values["name"] == "黄巷社区腰鼓队" and draft.based_on is None

    prompts.answers.append(True)
    again = open_form(qtbot, ctx)
    qtbot.waitUntil(lambda: again.editor("name").text() == "黄巷社区腰鼓队", timeout=2000)
    assert prompts.shown[0].startswith("发现上次未保存的内容（保存于 ") and prompts.shown[0].endswith("），是否恢复？")
    data = again.form_input()
    assert (data.org_type, data.community_category, data.member_count) == (OrgType.COMMUNITY_FILED, "文体活动类", 40)
    assert again.editor("founded_on").text() == "2019年5月" and "founded_on" in again.problems_shown()


def test_a_declined_draft_is_deleted_and_a_saved_form_leaves_none(
    qtbot: QtBot, ctx: UiContext, db: Database, store: DraftStore, prompts: Prompts, type_chinese: TypeChinese
) -> None:
    store.save("org", "new", {"name": "不要了"})
    prompts.answers.append(False)
    dialog = open_form(qtbot, ctx)
    qtbot.waitUntil(lambda: len(prompts.shown) == 1, timeout=2000)
    assert store.load("org", "new") is None and dialog.editor("name").text() == ""
    dialog.editor("org_type").set_value(OrgType.COMMUNITY_FILED)
    type_chinese(dialog.editor("name"), "黄巷社区合唱团")
    dialog.editor("community").setText("黄巷社区")
    qtbot.waitUntil(lambda: store.load("org", "new") is not None, timeout=3000)  # typing starts a new draft
    with qtbot.waitSignal(dialog.saved):
        dialog.save()
    assert store.load("org", "new") is None and store.drafts() == []


def test_a_draft_of_an_edit_says_when_the_organization_changed_since(
    qtbot: QtBot, ctx: UiContext, db: Database, store: DraftStore, prompts: Prompts,
    add_org: Callable[..., OrgDetail], monkeypatch: pytest.MonkeyPatch,
) -> None:
    import dataclasses

    org = add_org("朝阳区钓鱼协会")
    dialog = open_form(qtbot, ctx, org)
    dialog.editor("address").setText("朝阳区新址8号")
    monkeypatch.setattr(OrgDialog, "ask_close", lambda _self: org_dialog.KEEP)
    dialog.reject()
    assert store.load("org", org.id) is not None and store.load("org", org.id).based_on == org.updated_at  # type: ignore[union-attr]

    changed = organizations.update_org(db.session_factory, org.id, dataclasses.replace(org.data, notes="别处改的"),
                                       actor="other")
    prompts.answers.append(True)
    again = open_form(qtbot, ctx, changed)
    qtbot.waitUntil(lambda: len(prompts.shown) == 1, timeout=2000)
    assert "该组织在此之后又被修改并保存过" in prompts.shown[0]
    assert again.editor("address").text() == "朝阳区新址8号"


# -- kill -9 ---------------------------------------------------------------------------------------
def test_a_draft_survives_kill_9_and_a_fresh_form_restores_it(
    qtbot: QtBot, ctx: UiContext, db: Database, store: DraftStore, prompts: Prompts
) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen([sys.executable, str(ROOT / "tests" / "ui" / "draft_child.py"), str(db.path)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        assert child.stdout is not None
        line = child.stdout.readline().strip()
        assert line == "DRAFT-SAVED", (line, child.stderr.read() if child.poll() is not None else "")
        assert child.poll() is None, "the child is still running, form open"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    prompts.answers.append(True)
    dialog = open_form(qtbot, ctx)
    qtbot.waitUntil(lambda: dialog.editor("name").text() == "鼓楼区崩溃测试协会", timeout=3000)
    assert prompts.shown[0].startswith("发现上次未保存的内容")
    data = dialog.form_input()
    assert (data.org_type, data.registration_authority, data.contact_phone, data.member_count) == (
        OrgType.FOUNDATION, "鼓楼区民政局", "0591-87654321", 25)
    assert dialog.editor("founded_on").text() == "2021.3", "half a date comes back as typed"
    assert data.founded_on is None and dialog.has_unsaved_input()
    dialog.editor("founded_on").setText("2021-03-01")
    dialog.editor("uscc").setText("")
    dialog.save()
    assert "uscc" in dialog.problems_shown(), "a restored form is checked like any other"
