"""An issued 整改通知书 reprints exactly as issued: a 延期 granted later is in the item's history, not on
the notice (DESIGN §2.0: a reprint is provably the same document)."""

from __future__ import annotations

from datetime import date, timedelta

from app.domain.enums import RectificationFollowUpKind
from app.services.core.clock import FrozenClock
from app.services.core.database import Database
from app.services.notices import create_rectification_notice, issue_notice
from app.services.notices.render import render_record
from app.services.rectification import append_follow_up
from tests.unit.notices.notice_builders import ACTOR, item, org


def test_a_reprint_after_an_extension_is_the_same_bytes(db: Database, frozen_clock: FrozenClock) -> None:
    org_id = org(db, "福州市鼓楼区阳光社工服务中心")
    item_id = item(db, org_id, "未按期召开支部党员大会", deadline=date(2026, 4, 30))
    notice_id = create_rectification_notice(db.session_factory, org_id=org_id, actor=ACTOR)
    issue_notice(db.session_factory, notice_id, on_date=date(2026, 3, 30), actor=ACTOR)
    first = render_record(db.session_factory, kind="rectification", record_id=notice_id)
    frozen_clock.advance(timedelta(minutes=5))
    append_follow_up(db.session_factory, item_id, kind=RectificationFollowUpKind.EXTEND, on_date=date(2026, 3, 31),
                     new_deadline=date(2026, 6, 30), note="材料需上级审批", actor=ACTOR)
    again = render_record(db.session_factory, kind="rectification", record_id=notice_id)
    assert again.sha256 == first.sha256 and again.data == first.data
