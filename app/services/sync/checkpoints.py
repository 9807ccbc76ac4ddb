"""Named points of a sync run where tests may simulate a crash (a hook raising stops the run there;
nothing after the point commits).  Names: ``before_push``, ``after_push_response`` (the answer is in, not
yet recorded), ``after_push_recorded``, ``before_pull_page_commit``, ``after_pull_page``,
``between_upload_chunks``.  No hook is registered outside tests."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["NAMES", "add_hook", "checkpoint", "clear_hooks"]

NAMES = frozenset({"before_push", "after_push_response", "after_push_recorded", "before_pull_page_commit",
                   "after_pull_page", "between_upload_chunks"})
_hooks: list[Callable[[str], None]] = []


def add_hook(hook: Callable[[str], None]) -> None:
    """Call ``hook(name)`` at every checkpoint from now on."""
    _hooks.append(hook)


def clear_hooks() -> None:
    _hooks.clear()


def checkpoint(name: str) -> None:
    """The engine reached ``name``: run the hooks (a hook's exception propagates)."""
    if name not in NAMES:
        raise ValueError(f"unknown sync checkpoint {name!r}")
    for hook in list(_hooks):
        hook(name)
