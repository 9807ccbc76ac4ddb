"""Follow-ups are append-only (the triggers of migration 0014, seen through SQLAlchemy), go through the
outbox with their evidence, and the status stays derivable from them after a sync merge."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, delete, select, update
from sqlalchemy.exc import DatabaseError

from app.domain.enums import RectificationFollowUpKind as Kind
from app.domain.enums import RectificationStatus as Status
from app.domain.rectification_flow import Step, replay, status_from_follow_ups
from app.models import Attachment, OutboxEntry, Rectification, RectificationFollowUp, new_id
from app.services.core import clock
from app.services.core.attachments import StoredFile, store_bytes
from app.services.core.database import Database
from app.services.core.errors import ValidationFailed
from app.services.core.outbox import bulk_load, tombstone
from app.services.rectification import (
    acknowledge_in_session,
    append_follow_up,
    issue_in_session,
    list_items,
    load_item,
)
from tests.rectification_data import ACTOR, counts
from tests.unit.rectification.test_rectification_transitions import PATH, advance

APPEND_ONLY = "整改跟进记录只能追加，不能修改或删除"


def test_the_app_session_cannot_change_or_tombstone_a_follow_up(db: Database, make_item: Callable[..., str]) -> None:
    item_id = make_item()
    advance(db, item_id, PATH[:1])
    with pytest.raises(DatabaseError, match=APPEND_ONLY), db.session_factory.begin() as session:
        session.execute(select(RectificationFollowUp)).scalar_one().note = "改过的说明"
        session.flush()
    with pytest.raises(DatabaseError, match=APPEND_ONLY), db.session_factory.begin() as session:
        tombstone(session, session.execute(select(RectificationFollowUp)).scalar_one(), actor=ACTOR)
    assert load_item(db.session_factory, item_id).follow_ups[0].note == "签发说明"


def test_the_triggers_refuse_update_and_delete_whoever_asks(db: Database, make_item: Callable[..., str]) -> None:
    item_id = make_item()
    advance(db, item_id, PATH[:2])
    engine = create_engine(f"sqlite:///{db.path}")  # no outbox guard: only the triggers stand in the way
    table = RectificationFollowUp.__table__
    try:
        for statement in (update(table).values(kind=Kind.NOTE.value), update(table).values(on_date=date(2026, 1, 1)),
                          delete(table)):
            with pytest.raises(DatabaseError, match=APPEND_ONLY), engine.begin() as conn:
                conn.execute(statement)
        with engine.begin() as conn:  # the sync bookkeeping may change (the server's version)
            conn.execute(update(table).values(server_version=7))
    finally:
        engine.dispose()
    assert [f.kind for f in load_item(db.session_factory, item_id).follow_ups] == [Kind.ISSUE, Kind.ACKNOWLEDGE]


def test_follow_ups_and_evidence_go_through_the_outbox(db: Database, make_item: Callable[..., str],
                                                       tmp_path: Path) -> None:
    folder = tmp_path / "attachments"
    photo = store_bytes(folder, b"\x89PNG fake photo", "会议照片.png")
    item_id = make_item()
    advance(db, item_id, PATH[:3])
    follow_up_id = append_follow_up(db.session_factory, item_id, kind=Kind.REPORT, on_date=date(2026, 3, 10),
                                    note="已补开党员大会", evidence=[photo], actor=ACTOR, attachments_folder=folder)
    (shown,) = [f for f in load_item(db.session_factory, item_id).follow_ups if f.id == follow_up_id]
    assert [(e.filename, e.sha256) for e in shown.evidence] == [("会议照片.png", photo.sha256)]
    with db.session_factory() as session:
        entries = {(e.entity, e.record_id): e for e in session.execute(select(OutboxEntry)).scalars()}
        attachment = session.execute(select(Attachment)).scalar_one()
    assert (attachment.owner_entity, attachment.owner_id) == ("rectification_follow_up", follow_up_id)
    assert entries[("rectification_follow_up", follow_up_id)].fields["kind"] == "REPORT"
    assert ("attachment", attachment.id) in entries
    assert entries[("rectification", item_id)].fields["status"] == "REPORTED"


def test_evidence_not_stored_is_refused(db: Database, make_item: Callable[..., str], tmp_path: Path) -> None:
    item_id = make_item()
    before = counts(db)
    ghost = StoredFile("0" * 64, "扫描件.pdf", 10, "application/pdf")
    with pytest.raises(ValidationFailed, match=r"扫描件\.pdf"):
        append_follow_up(db.session_factory, item_id, kind=Kind.NOTE, on_date=date(2026, 3, 10), note="附扫描件",
                         evidence=[ghost], actor=ACTOR, attachments_folder=tmp_path)
    assert counts(db) == before


def test_issue_and_acknowledge_inside_the_callers_transaction(db: Database, make_item: Callable[..., str]) -> None:
    first, second = make_item(), make_item(title="党建入章未完成", deadline=date(2026, 3, 5))
    before = counts(db)
    with pytest.raises(ValidationFailed) as failed, db.session_factory.begin() as session:
        issue_in_session(session, [first, second], on_date=date(2026, 3, 10), actor=ACTOR)
    assert failed.value.problems["deadline"].startswith(
        "整改事项「党建入章未完成」：整改期限 2026年3月5日 早于签发日期")
    assert counts(db) == before  # the caller's transaction rolled back: neither item moved
    with db.session_factory.begin() as session:
        issue_in_session(session, [first], on_date=date(2026, 3, 10), actor=ACTOR)
        acknowledge_in_session(session, [first], on_date=date(2026, 3, 10), actor=ACTOR)
    assert load_item(db.session_factory, first).status is Status.ACKNOWLEDGED


def _merged_follow_up(db: Database, item_id: str, org_id: str, kind: Kind, frm: Status, to: Status,
                      server_version: int) -> None:
    """A follow-up as a sync pull would deliver it (written by another device)."""
    with db.session_factory.begin() as session:
        bulk_load(session, RectificationFollowUp, [{
            "id": new_id(), "org_id": org_id, "rectification_id": item_id, "kind": kind, "at": clock.now(),
            "on_date": date(2026, 3, 10), "from_status": frm, "to_status": to, "actor": "u:另一台电脑",
            "note": kind.label, "server_version": server_version}], actor="u:另一台电脑")


def test_concurrent_rechecks_after_a_sync_merge(db: Database, make_item: Callable[..., str], org: str) -> None:
    """Two devices each recorded a 复查 from 已反馈; in the server's order the first counts, the second is
    kept in the history but moved nothing, and the item's status follows the history."""
    item_id = make_item()
    advance(db, item_id, PATH)
    with db.session_factory.begin() as session:  # this device's rows were accepted: versions 1..4
        for n, row in enumerate(session.execute(select(RectificationFollowUp)
                                                .order_by(RectificationFollowUp.at)).scalars(), start=1):
            row.server_version = n
    _merged_follow_up(db, item_id, org, Kind.REVIEW_FAIL, Status.REPORTED, Status.REVIEW_FAILED, 5)
    _merged_follow_up(db, item_id, org, Kind.REVIEW_PASS, Status.REPORTED, Status.REVIEW_PASSED, 6)
    detail = load_item(db.session_factory, item_id)
    assert detail.status is Status.REVIEW_FAILED
    assert [f.counted for f in detail.follow_ups] == [True] * 5 + [False]
    assert list_items(db.session_factory).rows[0].status is Status.REVIEW_FAILED
    with db.session_factory() as session:  # the stored column lags until the next write …
        assert session.execute(select(Rectification.status)).scalar_one() is Status.REPORTED
    append_follow_up(db.session_factory, item_id, kind=Kind.START, on_date=date(2026, 3, 10), actor=ACTOR)
    with db.session_factory() as session:  # … which sets what the history gives
        assert session.execute(select(Rectification.status)).scalar_one() is Status.IN_PROGRESS


def test_status_from_follow_ups_replays_in_order() -> None:
    steps = [Step(Kind.ISSUE, Status.DRAFT), Step(Kind.ACKNOWLEDGE, Status.ISSUED),
             Step(Kind.ACKNOWLEDGE, Status.ISSUED),  # the same 签收 entered on two devices
             Step(Kind.NOTE, Status.ACKNOWLEDGED),
             Step(Kind.EXTEND, Status.ACKNOWLEDGED, new_deadline=date(2026, 5, 1))]
    result = replay(steps)
    assert result.status is Status.ACKNOWLEDGED and result.counted == (True, True, False, True, True)
    assert result.extensions == (date(2026, 5, 1),)
    # rows written before kinds were stored: a 备注 recording a status change counts as that step
    old = [Step(Kind.NOTE, None, Status.DRAFT), Step(Kind.NOTE, Status.DRAFT, Status.ISSUED),
           Step(Kind.NOTE, Status.ISSUED, Status.ACKNOWLEDGED)]
    assert status_from_follow_ups(old) is Status.ACKNOWLEDGED
