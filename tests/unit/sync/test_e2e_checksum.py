"""The daily comparison with the server against a real server process: a row lost behind the outbox comes
back, a row whose op vanished is sent after all, and a copy that matches asks nothing more."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from sqlalchemy import select

from app.domain.enums import NoticeKind, NoticeStatus
from app.models import Notice, OutboxEntry, SyncScope, new_id
from app.services.core import clock
from app.services.core.outbox import record_upsert
from app.services.sync import state
from app.services.sync.checkpoints import add_hook, clear_hooks
from app.services.sync.checksum import LAST_CHECKED
from tests.unit.sync.e2e_clients import Client, World


def _draft(client: Client, org_id: str, title: str) -> str:
    notice_id = new_id()
    with client.factory.begin() as session:
        record_upsert(session, Notice(id=notice_id, org_id=org_id, kind=NoticeKind.RECTIFICATION_NOTICE,
                                      status=NoticeStatus.DRAFT, series="鼓民社党", year=2026, title=title),
                      actor=client.username)
    return notice_id


def _raw(client: Client, sql: str, *args: str) -> None:
    """Past the outbox and its guard, as a bug or a hand-edited file would."""
    conn = sqlite3.connect(str(client.factory.kw["bind"].url.database))
    try:
        conn.execute(sql, args)
        conn.commit()
    finally:
        conn.close()


def _make_due(client: Client) -> None:
    with client.factory.begin() as session:
        state.write(session, {LAST_CHECKED: (clock.now() - timedelta(days=2)).isoformat()})


def _notice(client: Client, notice_id: str) -> Notice | None:
    with client.factory() as session:
        return session.get(Notice, notice_id)


def test_the_daily_check_repairs_a_lost_row_and_a_vanished_op(world: World) -> None:
    alice, bob = world.clients("alice", "bob")
    org_id = alice.new_org("丙协会")
    alices = _draft(alice, org_id, "甲的草稿")
    alice.sync()
    world.assign("bob", org_id)
    bob.sync()
    with bob.factory() as session:
        assert state.get(session, LAST_CHECKED)  # the first sync read everything: it only noted the time
    assert _notice(bob, alices) is not None

    bobs = _draft(bob, org_id, "乙的草稿")
    _raw(bob, "DELETE FROM outbox WHERE record_id = ?", bobs)  # its op vanished
    _raw(bob, "DELETE FROM notice WHERE id = ?", alices)  # a row lost here
    assert all("不一致" not in line for line in bob.sync().messages)  # not due yet: nothing compared
    assert _notice(bob, alices) is None

    _make_due(bob)
    report = bob.sync()
    assert any("1 个组织的数据不一致" in line and "1 条服务器没有的记录已重新发送" in line for line in report.messages)
    assert _notice(bob, alices) is not None
    alice.sync()
    found = _notice(alice, bobs)
    assert found is not None and found.title == "乙的草稿"
    with bob.factory() as session:
        assert not list(session.execute(select(OutboxEntry).where(OutboxEntry.state != "acked")).scalars())

    _make_due(bob)
    assert all("不一致" not in line for line in bob.sync().messages)  # the copies match now


def test_another_laptops_push_during_the_check_is_caught_up_not_repaired(world: World) -> None:
    """alice pushes right after bob's pull: bob's copy is behind, not wrong — one more pull, no repair."""
    alice, bob = world.clients("alice", "bob")
    org_id = alice.new_org("丁协会")
    alice.sync()
    world.assign("bob", org_id)
    bob.sync()
    _make_due(bob)
    late: list[str] = []

    def alice_pushes(name: str) -> None:
        if name == "after_pull_page" and not late:
            late.append(_draft(alice, org_id, "迟到的草稿"))
            alice.sync()

    add_hook(alice_pushes)
    try:
        report = bob.sync()
    finally:
        clear_hooks()
    assert late and _notice(bob, late[0]) is not None  # caught up
    assert all("不一致" not in line for line in report.messages)
    with bob.factory() as session:
        assert session.execute(select(SyncScope).where(SyncScope.backfill_cursor.is_not(None))).first() is None
