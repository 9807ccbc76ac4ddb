"""A 100,000-row district file: progress moves, cancel stops the work, and a cancelled import leaves the
database exactly as it was (one transaction, rolled back)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from ledger_files import write_csv

from app.services.core.database import Database
from app.services.ledger_io.apply import BATCH, NEW_STAGE, apply_plan
from app.services.ledger_io.errors import ImportCancelled
from app.services.ledger_io.plan import CHECK_STAGE, RowStatus, plan_import
from app.services.ledger_io.reading import READ_STAGE

ROWS = 100_000
CANCEL_AFTER = 5 * BATCH
State = Callable[[], dict[str, list[tuple[object, ...]]]]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def district_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # 备案 organizations without codes: the form's duplicate-code query (~0.4 ms a row) is not what this
    # test is about; bench/bench_import.py measures a file with codes
    rows: list[list[object]] = [["组织名称", "组织类型", "统一社会信用代码", "成立日期", "所在街道"]]
    rows += [[f"鼓楼区第{n}号志愿服务队", "社区社会组织", "", "2020.1.1", f"第{n % 9}街道"] for n in range(ROWS)]
    return write_csv(tmp_path_factory.mktemp("large") / "全区台账.csv", rows)


def test_a_cancelled_import_leaves_the_database_as_it_was(district_csv: Path, db: Database, state: State) -> None:
    seen: list[tuple[str, int, int]] = []
    plan = plan_import(db.session_factory, district_csv, progress=lambda *p: seen.append(p))
    assert plan.count(RowStatus.NEW) == ROWS
    stages = [stage for stage, _, _ in seen]
    assert stages.index(READ_STAGE) < stages.index(CHECK_STAGE)
    checks = [done for stage, done, _ in seen if stage == CHECK_STAGE]
    assert len(checks) >= 100 and checks == sorted(checks) and checks[-1] == ROWS  # it moves, 1 % at a time
    before = state()
    written: list[int] = []

    def progress(stage: str, done: int, _total: int) -> None:
        if stage == NEW_STAGE:
            written.append(done)

    with pytest.raises(ImportCancelled):  # cancel while the new organizations are being written
        apply_plan(db.session_factory, plan, skip_invalid=False, actor="t", progress=progress,
                   cancelled=lambda: bool(written) and written[-1] >= CANCEL_AFTER)
    assert written[-1] >= CANCEL_AFTER  # rows had been inserted (in the transaction) when it stopped
    assert state() == before  # … and were rolled back: no organization, outbox entry or index row remains


def test_cancel_while_reading(district_csv: Path, db: Database) -> None:
    calls = 0

    def cancelled() -> bool:
        nonlocal calls
        calls += 1
        return calls > 20

    with pytest.raises(ImportCancelled, match="已取消导入：数据库没有任何改动"):
        plan_import(db.session_factory, district_csv, cancelled=cancelled)
