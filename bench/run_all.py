"""Run every benchmark and print its figures (``make bench``).  Databases are cached in bench/out/."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

for name in ("bench_startup", "bench_search", "bench_ledger_ui", "bench_save", "bench_meeting_save", "bench_import",
             "bench_compliance", "bench_documents", "bench_preview", "sync"):
    print()
    runpy.run_path(str(HERE / f"{name}.py"), run_name="__main__")
