"""The month batch reports one scale over its stages (读取, 排版, 生成 PDF): it never goes backwards."""

from __future__ import annotations

from datetime import date

import pytest

from app.services.core.database import Database
from app.services.notices import BATCH_SCALE, batch_progress, create_rectification_notice, issue_notice
from app.services.notices.batch import render_month_batch
from tests.unit.notices.notice_builders import ACTOR, item, org

pytestmark = pytest.mark.usefixtures("frozen_clock")  # today: 2026-03-31


def test_the_batch_progress_only_goes_forward(db: Database) -> None:
    for name in ("福州市鼓楼区阳光社工服务中心", "福州市鼓楼区温泉街道老年人协会"):
        org_id = org(db, name)
        item(db, org_id, "三会一课记录不全")
        notice_id = create_rectification_notice(db.session_factory, org_id=org_id, actor=ACTOR)
        issue_notice(db.session_factory, notice_id, on_date=date(2026, 3, 30), actor=ACTOR)
    reports: list[tuple[int, str]] = []
    result = render_month_batch(db.session_factory, year=2026, month=3,
                                progress=lambda stage, done, total: reports.append(batch_progress(stage, done, total)))
    assert result.pdf is not None
    values = [value for value, _ in reports]
    assert values == sorted(values) and values[-1] == BATCH_SCALE and values[0] == 0
    assert any("第 2 步，共 3 步：排版" in words for _, words in reports)
    assert any("第 3 步，共 3 步：生成 PDF" in words for _, words in reports)
