"""The first view's read, started as soon as the database is open — before Qt is imported and the window
built — so that it runs while they are (bench/bench_startup.py: the 工作台's read is most of what the
first paint waits for).  The view takes the pending result by key when it asks for its first read.

No Qt here: ``app.ui.gui`` starts the read before importing PySide6.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

_pending: dict[Hashable, Future[Any]] = {}
DASHBOARD = "dashboard"  # key: (DASHBOARD, the database's path)


def start(key: Hashable, work: Callable[[], Any]) -> None:
    """Run ``work`` on a thread of its own now; its result waits for :func:`take` (at most one per key)."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="first-read")
    _pending[key] = executor.submit(work)
    executor.shutdown(wait=False)  # the thread ends with the work


def take(key: Hashable) -> Future[Any] | None:
    """The read started for ``key`` (once: a later read of the view is a fresh one), or None."""
    return _pending.pop(key, None)


def discard_all() -> None:
    """Forget reads nobody took (the window was not built): their threads finish on their own."""
    _pending.clear()
