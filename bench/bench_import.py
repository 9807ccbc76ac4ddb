"""The Excel 台账 in and out at district scale: export of 5,000 organizations, reading that file with
openpyxl alone (the floor), planning its import (read + match + the form's validation per row), and
the whole import into an empty database (plan + one transaction of bulk inserts, outbox entries, search
index).  Figures are per run and in rows per second."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from common import OUT, demo_db, report, timed  # type: ignore[import-not-found]

from app.services.core.database import open_database
from app.services.ledger_io.apply import apply_plan
from app.services.ledger_io.export import export_ledger
from app.services.ledger_io.plan import RowStatus, plan_import

ORGS = 5_000
REPEAT = 3


def read_with_openpyxl(path: Path) -> int:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
    book.close()
    return rows


def empty_database(template: Path, name: str) -> Path:
    target = OUT / name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copy2(template, target)
    return target


def rate(label: str, samples: list[float], rows: int) -> None:
    report(label, samples)
    best = min(samples)
    print(f"  {'':<44} {rows / best:10,.0f} rows/s (best of {len(samples)})")


def main() -> None:
    source = open_database(demo_db(ORGS, 0))
    file = OUT / "import-bench.xlsx"
    print(f"台账 import/export of {ORGS:,} organizations")
    rate("export_ledger (query + .xlsx write)", timed(lambda: export_ledger(source.session_factory, file), REPEAT),
         ORGS)
    source.close()
    rate("openpyxl alone: read the same file", timed(lambda: read_with_openpyxl(file), REPEAT), ORGS)

    template = OUT / "import-bench-empty.sqlite3"
    if not template.exists():
        open_database(template).close()
    plan_db = open_database(empty_database(template, "import-bench-plan.sqlite3"))
    plans = []
    rate("plan_import (read, match, validate)",
         timed(lambda: plans.append(plan_import(plan_db.session_factory, file)), REPEAT), ORGS)
    plan_db.close()
    assert plans[-1].count(RowStatus.NEW) == ORGS, plans[-1].summary()

    samples = []
    for n in range(REPEAT):
        database = open_database(empty_database(template, f"import-bench-{n}.sqlite3"))
        started = time.perf_counter()
        plan = plan_import(database.session_factory, file)
        apply_plan(database.session_factory, plan, skip_invalid=False, actor="bench")
        samples.append(time.perf_counter() - started)
        if n == REPEAT - 1:
            again = timed(lambda db=database: plan_import(db.session_factory, file), 1)
        database.close()
    rate("import into an empty database (plan + apply)", samples, ORGS)
    rate("re-import the same file (all 不变, plan only)", again, ORGS)


if __name__ == "__main__":
    main()
