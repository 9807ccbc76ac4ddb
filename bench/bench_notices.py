"""Notices from records (issue 8): what assembling documents from the database adds to setting them.

A scratch database with 100 organizations, each with two rectification items on a 整改通知书 issued in
March 2026 (through the services, as a user would).  Timed: ``render_record`` of one notice (read + set)
next to setting its content alone; ``render_month_batch`` of the 100 next to ``render_documents`` of the
same content read beforehand.  The setting itself against bare reportlab is bench_documents.py.
"""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from common import report, timed  # type: ignore[import-not-found]
from sqlalchemy import select

from app import paths
from app.domain.enums import OrgType, RectificationSource, RectificationStatus
from app.models import Rectification, SocialOrg, new_id
from app.services.core import clock
from app.services.core.database import open_database
from app.services.core.outbox import record_upsert
from app.services.documents.batch import render_documents
from app.services.notices import create_rectification_notice, issue_notice, render_month_batch, render_record
from app.services.notices.batch import month_notice_ids
from app.services.notices.notice_docs import notice_doc
from app.services.notices.render import render_doc

COUNT, REPEAT = 100, 10


def build(folder: Path) -> object:
    database = open_database(folder / "bench-notices.sqlite3")
    factory = database.session_factory
    with factory.begin() as session:
        for n in range(COUNT):
            org_id = new_id()
            record_upsert(session, SocialOrg(id=org_id, org_id=org_id, name=f"福州市鼓楼区第{n + 1}社会工作服务中心",
                                             org_type=OrgType.SOCIAL_SERVICE), actor="bench")
            for k in range(2):
                record_upsert(session, Rectification(
                    org_id=org_id, source=RectificationSource.INSPECTION, title=f"问题{k + 1}：党员名册未及时更新",
                    description="经查，党员名册未及时更新，" * 5, basis="《中国共产党支部工作条例（试行）》",
                    requirement="限期更新党员名册并报送。", responsible_person="王建国", raised_on=date(2026, 3, 2),
                    deadline=date(2026, 4, 30), status=RectificationStatus.DRAFT), actor="bench")
    with factory() as session:
        orgs = session.execute(select(SocialOrg.id)).scalars().all()
    for org_id in orgs:
        notice_id = create_rectification_notice(factory, org_id=org_id, actor="bench")
        issue_notice(factory, notice_id, on_date=date(2026, 3, 10), actor="bench")
    return database


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch, paths.temporary_home(Path(scratch)), \
            clock.frozen(datetime(2026, 3, 31, 12, 0, tzinfo=UTC)):  # 20:00 in the district
        started = time.perf_counter()
        database = build(Path(scratch))
        factory = database.session_factory  # type: ignore[attr-defined]
        print(f"Notices from records: {COUNT} 整改通知书 issued (built in {time.perf_counter() - started:.1f} s)")
        with factory() as session:
            ids = month_notice_ids(session, 2026, 3)
            docs = [notice_doc(session, notice_id) for notice_id in ids]
        render_doc(docs[0])  # fonts registered once, as in a running app
        one = timed(lambda: render_record(factory, kind="rectification", record_id=ids[0]), REPEAT)
        content = timed(lambda: render_doc(docs[0]), REPEAT)
        report("render_record (read + set one notice)", one)
        report("setting the same content alone", content)
        started = time.perf_counter()
        batch = render_month_batch(factory, year=2026, month=3)
        ours = time.perf_counter() - started
        started = time.perf_counter()
        render_documents(docs)
        alone = time.perf_counter() - started
        assert batch.pdf is not None
        print(f"  render_month_batch of {len(ids)}: {ours:.2f} s, {batch.pdf.pages} pages, "
              f"{len(batch.pdf.data) / 1e6:.1f} MB; render_documents of the same content read beforehand "
              f"{alone:.2f} s; reading adds {max(0.0, ours - alone) / len(ids) * 1000:.1f} ms per notice")
        database.close()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
