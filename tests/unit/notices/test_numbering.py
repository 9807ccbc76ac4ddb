"""Numbering: provisional numbers per series, year and device, unique under concurrent allocation (threads,
two processes), restarting in a new year by the issue day; confirmation by the server, unique among live
notices; provisional and confirmed numbers of one series and year side by side."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.enums import NoticeKind, NoticeStatus
from app.models import Notice
from app.services.core.database import Database
from app.services.core.errors import ServiceError
from app.services.core.identity import DEVICE_TAG_KEY, device_tag
from app.services.notices.numbering import NumberClash, allocate_provisional, confirm_number, number_text
from tests.unit.notices.notice_builders import org

SERIES = "社党整改"


def _allocate(db: Database, org_id: str, year: int = 2026, series: str = SERIES) -> tuple[int, str]:
    """One allocation the way 签发 does it: read the next number and store it, in one write transaction."""
    with db.session_factory.begin() as session:
        number = allocate_provisional(session, series=series, year=year)
        session.add(Notice(kind=NoticeKind.RECTIFICATION_NOTICE, org_id=org_id, status=NoticeStatus.ISSUED,
                           series=series, year=year, provisional_seq=number.local_seq,
                           provisional_device=number.device, issued_on=date(year, 3, 1)))
        return number.local_seq, number.device


def test_sequences_count_up_per_series_and_year(db: Database) -> None:
    org_id = org(db, "福州市鼓楼区阳光社工服务中心")
    assert [_allocate(db, org_id)[0] for _ in range(3)] == [1, 2, 3]
    assert _allocate(db, org_id, series="社党函")[0] == 1  # another series starts on its own


def test_a_new_year_starts_again_at_one_by_the_issue_day(db: Database) -> None:
    org_id = org(db, "福州市鼓楼区阳光社工服务中心")
    _allocate(db, org_id, 2026), _allocate(db, org_id, 2026)
    assert _allocate(db, org_id, 2027)[0] == 1
    assert _allocate(db, org_id, 2026)[0] == 3  # a late entry dated in the old year continues its series


def test_the_device_tag_is_short_stable_and_printed(db: Database) -> None:
    org_id = org(db, "福州市鼓楼区阳光社工服务中心")
    _seq, device = _allocate(db, org_id)
    assert re.fullmatch(r"[A-Z0-9]{3}", device)
    with db.session_factory.begin() as session:
        assert device_tag(session) == device
        notice = session.scalars(select(Notice)).one()
        assert number_text(notice) == f"{SERIES}〔2026〕临{device}-1号（临时编号）"
        assert session.execute(select(Notice.provisional_device)).scalar() == device
    from app.services.core.local_settings import read_settings

    with db.session_factory() as session:
        assert read_settings(session, [DEVICE_TAG_KEY]) == {DEVICE_TAG_KEY: device}


def test_threads_allocating_at_once_get_distinct_numbers(db: Database) -> None:
    org_id = org(db, "福州市鼓楼区阳光社工服务中心")
    got: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def work() -> None:
        try:
            start.wait()
            for _ in range(5):
                got.append(_allocate(db, org_id)[0])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(got) == list(range(1, 31))


_CHILD = """
import sys
from datetime import date
from app.domain.enums import NoticeKind, NoticeStatus
from app.models import Notice
from app.services.core.database import open_database
from app.services.notices.numbering import allocate_provisional

database = open_database(__import__("pathlib").Path(sys.argv[1]))
for _ in range(int(sys.argv[3])):
    with database.session_factory.begin() as session:
        number = allocate_provisional(session, series="社党整改", year=2026)
        session.add(Notice(kind=NoticeKind.RECTIFICATION_NOTICE, org_id=sys.argv[2], status=NoticeStatus.ISSUED,
                           series="社党整改", year=2026, provisional_seq=number.local_seq,
                           provisional_device=number.device, issued_on=date(2026, 3, 1)))
database.close()
"""


def test_two_processes_allocating_at_once_get_distinct_numbers(db: Database, tmp_path: Path) -> None:
    org_id = org(db, "福州市鼓楼区阳光社工服务中心")
    _allocate(db, org_id)  # the device tag exists before the processes race
    root = Path(__file__).resolve().parents[3]
    env = {"PYTHONPATH": str(root), "DANGJIAN_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"}
    children = [subprocess.Popen([sys.executable, "-c", _CHILD, str(db.path), org_id, "15"], env=env,
                                 stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for child in children:
        _out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
    with db.session_factory() as session:
        seqs = sorted(session.execute(select(Notice.provisional_seq)).scalars())
    assert seqs == list(range(1, 32))


def test_provisional_and_confirmed_numbers_of_one_series_and_year_coexist(db: Database) -> None:
    org_id = org(db, "福州市鼓楼区阳光社工服务中心")
    _allocate(db, org_id), _allocate(db, org_id)
    with db.session_factory() as session:
        first, _second = session.scalars(select(Notice).order_by(Notice.provisional_seq)).all()
    assert confirm_number(db.session_factory, first.id, 2) == f"{SERIES}〔2026〕2号"
    with db.session_factory() as session:
        texts = {n.provisional_seq: number_text(n) for n in session.scalars(select(Notice))}
    assert texts[1] == f"{SERIES}〔2026〕2号"  # confirmed (its provisional 1 kept beside it)
    assert texts[2].endswith("-2号（临时编号）")  # the other still provisional, its own sequence 2
    with db.session_factory() as session:
        kept = session.get(Notice, first.id)
        assert kept is not None and (kept.provisional_seq, kept.confirmed_seq) == (1, 2)


def test_a_confirmed_number_clash_is_a_clear_error(db: Database) -> None:
    org_id = org(db, "福州市鼓楼区阳光社工服务中心")
    _allocate(db, org_id), _allocate(db, org_id)
    with db.session_factory() as session:
        first, second = session.scalars(select(Notice).order_by(Notice.provisional_seq)).all()
    confirm_number(db.session_factory, first.id, 5)
    with pytest.raises(NumberClash, match="社党整改〔2026〕5号 已被另一份有效通知使用"):
        confirm_number(db.session_factory, second.id, 5)
    with db.session_factory.begin() as session:  # a 作废 notice frees its confirmed number
        voided = session.get(Notice, first.id)
        assert voided is not None
        voided.status, voided.void_reason = NoticeStatus.VOID, "打印错误"
    with pytest.raises(ServiceError, match="已作废"):
        confirm_number(db.session_factory, first.id, 6)
    assert confirm_number(db.session_factory, second.id, 5) == "社党整改〔2026〕5号"


def test_a_draft_and_a_bad_sequence_cannot_be_confirmed(db: Database) -> None:
    org_id = org(db, "福州市鼓楼区阳光社工服务中心")
    with db.session_factory.begin() as session:
        draft = Notice(kind=NoticeKind.RECTIFICATION_NOTICE, org_id=org_id, series=SERIES, year=2026)
        session.add(draft)
    with pytest.raises(ServiceError, match="草稿通知还没有编号"):
        confirm_number(db.session_factory, draft.id, 1)
    _allocate(db, org_id)
    with db.session_factory() as session:
        issued = session.scalars(select(Notice).where(Notice.status == NoticeStatus.ISSUED)).one()
    with pytest.raises(ServiceError, match="从 1 开始"):
        confirm_number(db.session_factory, issued.id, 0)
