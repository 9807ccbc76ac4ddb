"""``python -m app compliance``: the findings of a period as text or JSON, for one organization or all;
bad input answered with one clear Chinese line and a non-zero exit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from compliance_builders import branch, meeting, org

from app import paths
from app.cli import run
from app.cli.compliance import parse_period
from app.domain.enums import MeetingKind
from app.domain.periods import Period, PeriodKind
from app.services.core import clock
from app.services.core.database import open_database
from app.services.core.identity import current_user


@pytest.fixture
def profile() -> Iterator[None]:
    """The active profile's database with two branches; the clock on 15 August 2026."""
    database = open_database(paths.database_path(current_user()))
    one = branch(database, "中共甲协会支部委员会", org_ids=[org(database, "甲协会")], established=date(2026, 1, 1))
    branch(database, "中共乙协会支部委员会", org_ids=[org(database, "乙协会")], established=date(2026, 1, 1))
    meeting(database, one, MeetingKind.GENERAL_MEETING, datetime(2026, 9, 30, 20, 0))
    meeting(database, one, MeetingKind.PARTY_LECTURE, datetime(2026, 7, 3, 9, 0), complete=False)  # July's record
    database.close()
    with clock.frozen(datetime(2026, 8, 15, 2, 0, tzinfo=UTC)):
        yield


@pytest.mark.parametrize(("text", "period"), [
    ("2026Q3", Period(date(2026, 7, 1), PeriodKind.QUARTER)), ("2026q1", Period(date(2026, 1, 1), PeriodKind.QUARTER)),
    ("2026-08", Period(date(2026, 8, 1), PeriodKind.MONTH)), ("2026-8", Period(date(2026, 8, 1), PeriodKind.MONTH)),
    ("2026", Period(date(2026, 1, 1), PeriodKind.YEAR)), ("2026年8月", Period(date(2026, 8, 1), PeriodKind.MONTH)),
])
def test_periods_as_written(text: str, period: Period) -> None:
    assert parse_period(text) == period


def test_the_current_month_by_default(profile: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["compliance"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "合规检查：2026年8月（截至 2026-08-15）"
    assert any("2026年8月未开展主题党日" in line for line in out)
    assert any("2026年第3季度未召开支部党员大会" in line and "中共乙协会支部委员会" in line for line in out)
    assert not any("2026年7月" in line for line in out)  # another month's findings (and records) are not August's
    assert out[-1].startswith("共 ")


def test_one_organization_as_json(profile: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["compliance", "--period", "2026Q3", "--org", "甲协会", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["period"] == "2026年第3季度" and report["subject"] == "甲协会"
    assert {f["party_org"] or f["org"] for f in report["findings"]} == {"中共甲协会支部委员会", "甲协会"}
    assert not [f for f in report["findings"] if f["rule_id"] == "meeting.GENERAL_MEETING"]  # held 30 Sept 20:00
    months = {f["period"] for f in report["findings"] if f["rule_id"] == "meeting.THEME_DAY"}
    assert months == {"2026年7月", "2026年8月"}  # September has not begun


@pytest.mark.parametrize(("args", "words", "code"), [
    (["compliance", "--period", "2026Q5"], "无法识别的周期“2026Q5”", 2),
    (["compliance", "--period", "2026-13"], "请写成 2026Q3（季度）、2026-08（月份）或 2026（年度）", 2),
    (["compliance", "--org", "不存在的协会"], "没有找到名称或统一社会信用代码为“不存在的协会”", 1),
    (["compliance", "--org", "协会"], "“协会”可指", 1),
])
def test_bad_input_is_one_clear_line(profile: None, capsys: pytest.CaptureFixture[str], args: list[str], words: str,
                                     code: int) -> None:
    assert run(args) == code
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0]


def test_no_database_yet(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["compliance"]) == 1
    assert "没有找到数据库" in capsys.readouterr().err
