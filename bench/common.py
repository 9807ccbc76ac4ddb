"""Shared helpers for the benchmarks: cached demo databases and percentile reporting."""

from __future__ import annotations

import shutil
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))


def demo_db(orgs: int, years: int) -> Path:
    """A seeded database for ``orgs``/``years``, built once and cached under bench/out/."""
    from app import paths
    from app.demo.data import seed_demo
    from app.services.core.database import open_database

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"demo-{orgs}-orgs-{years}-years.sqlite3"
    if not path.exists():
        tmp = path.with_suffix(".building")
        for leftover in OUT.glob(tmp.name + "*"):
            leftover.unlink()
        started = time.perf_counter()
        shutil.rmtree(OUT / "home", ignore_errors=True)
        with paths.temporary_home(OUT / "home"):  # demo data is written into a demo profile only
            built = paths.database_path(paths.DEMO_PROFILE)
            database = open_database(built)
            seed_demo(database.session_factory, orgs=orgs, years=years)
            database.engine.dispose()
        for suffix in ("-wal", "-shm"):
            Path(f"{built}{suffix}").unlink(missing_ok=True)
        shutil.move(built, tmp)
        tmp.rename(path)
        shutil.rmtree(OUT / "home", ignore_errors=True)
        print(f"  (built {path.name} in {time.perf_counter() - started:.1f} s)")
    return path


def scratch_copy(path: Path, name: str) -> Path:
    """A throw-away copy of a cached database, for benchmarks that write."""
    target = OUT / name
    shutil.copy2(path, target)
    return target


def percentiles(samples: Sequence[float]) -> tuple[float, float]:
    """(p50, p95) in milliseconds of samples in seconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def report(label: str, samples: Sequence[float], target_ms: float | None = None) -> None:
    p50, p95 = percentiles(samples)
    verdict = ""
    if target_ms is not None:
        verdict = f"  target p95 ≤ {target_ms:g} ms: {'met' if p95 <= target_ms else 'MISSED'}"
    print(f"  {label:<44} p50 {p50:8.2f} ms   p95 {p95:8.2f} ms   (n={len(samples)}){verdict}")
