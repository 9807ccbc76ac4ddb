"""Pulled rows this version could not store, set aside so one bad row never blocks a pull (SYNC.md §8.4).

A row the local schema cannot hold (a NOT NULL column left empty, a value the codec cannot read — what an
older server let through, or a newer one sends) is kept as its wire change in ``sync_state`` (key
``held_rows``, a JSON list: the simplest durable place, nothing to migrate) with why it failed, while the rest
of its page and the cursor commit.  Each sync retries them before pulling (an upgraded workbench stores them
then); a held row is dropped once it is stored, or once a newer version of its record has been.

Records of an entity this version does not know at all (a newer server's) are not held one by one — there
may be thousands — but their entity is noted (key ``skipped_entities``, with the cursor's move in the same
transaction).  Once an upgraded workbench knows one of them, the next sync reads everything again from the
start (:func:`reread_needed`), which brings them; rows already here are simply found unchanged."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from app.services.sync import state
from app.services.sync.labels import record_label

__all__ = ["HELD_ROWS", "drop_held", "held_changes", "held_summary", "note_held", "note_skipped", "reread_needed",
           "take_held"]

HELD_ROWS = "held_rows"
SKIPPED_ENTITIES = "skipped_entities"
_SHOWN = 3  # records named in the summary line; the rest are counted


def _load(session: Session) -> list[dict[str, Any]]:
    text = state.get(session, HELD_ROWS)
    if not text:
        return []
    items = json.loads(text)
    return [item for item in items if isinstance(item, dict) and isinstance(item.get("change"), dict)]


def _save(session: Session, items: list[dict[str, Any]]) -> None:
    if items:
        state.write(session, {HELD_ROWS: json.dumps(items, ensure_ascii=False)})
    else:
        state.clear(session, [HELD_ROWS])


def held_changes(session: Session) -> list[dict[str, Any]]:
    """The held wire changes, oldest first."""
    return [dict(item["change"]) for item in _load(session)]


def take_held(session: Session) -> list[dict[str, Any]]:
    """The held changes, removed (the caller applies them again: those still unstorable are held anew)."""
    changes = held_changes(session)
    if changes:
        _save(session, [])
    return changes


def note_held(session: Session, held: Iterable[tuple[Mapping[str, Any], str]],
              written: Mapping[str, Iterable[str]]) -> None:
    """Keep the changes set aside now (a newer one of a record replaces its older), and drop those whose
    record has just been stored (``written``: entity -> ids)."""
    stored = {(entity, str(record_id)) for entity, ids in written.items() for record_id in ids}
    by_record: dict[tuple[str, str], dict[str, Any]] = {}
    for item in _load(session):
        change = item["change"]
        key = (str(change.get("entity")), str(change.get("id")))
        if key not in stored:
            by_record[key] = item
    for change, why in held:
        key = (str(change.get("entity")), str(change.get("id")))
        known = by_record.get(key)
        if known is None or int(known["change"].get("version") or 0) <= int(change.get("version") or 0):
            by_record[key] = {"change": dict(change), "error": why}
    before = _load(session)
    if list(by_record.values()) != before:
        _save(session, list(by_record.values()))


def drop_held(session: Session, scope: str) -> None:
    """Forget the held rows of a scope the account has lost (its rows are purged: none may come back)."""
    items = _load(session)
    kept = [item for item in items if item["change"].get("scope") != scope]
    if len(kept) != len(items):
        _save(session, kept)


def held_summary(session: Session) -> tuple[str, ...]:
    """One Chinese line about the held rows (none when there are none)."""
    items = _load(session)
    if not items:
        return ()
    named = []
    for item in items[:_SHOWN]:
        change = item["change"]
        label = record_label(session, str(change.get("entity")), str(change.get("id")), dict(change.get("data") or {}))
        named.append(f"{label}：{item.get('error', '')}")
    more = f"等 {len(items)} 条" if len(items) > _SHOWN else ""
    return (f"服务器发来的 {len(items)} 条记录本机无法保存（{'；'.join(named)}{more}），已跳过，下次同步会重试；"
            "请升级工作台或联系区管理员",)


def _skipped(session: Session) -> set[str]:
    text = state.get(session, SKIPPED_ENTITIES)
    return {str(entity) for entity in json.loads(text)} if text else set()


def note_skipped(session: Session, entities: Iterable[str]) -> None:
    """Remember entities whose records a pull skipped (unknown to this version)."""
    skipped = _skipped(session)
    if not set(entities) <= skipped:
        state.write(session, {SKIPPED_ENTITIES: json.dumps(sorted(skipped | set(entities)), ensure_ascii=False)})


def reread_needed(session: Session, knows: Callable[[str], bool]) -> bool:
    """Whether an entity skipped before is known now (``knows``): it is forgotten, and the caller pulls from
    the start in this transaction (the others stay noted)."""
    skipped = _skipped(session)
    still = {entity for entity in skipped if not knows(entity)}
    if still == skipped:
        return False
    if still:
        state.write(session, {SKIPPED_ENTITIES: json.dumps(sorted(still), ensure_ascii=False)})
    else:
        state.clear(session, [SKIPPED_ENTITIES])
    return True
