"""What the last integrity check of a database found, kept in a small file beside it
(``dangjian.sqlite3.check.json``: the civil day of the check and its problems).

Kept outside the database on purpose: a damaged database must not be written to, and the record that it
is damaged must survive a restart so the app keeps refusing it until it checks clean again.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path


def state_path(db_path: Path) -> Path:
    return db_path.with_name(f"{db_path.name}.check.json")


def _read(db_path: Path) -> dict[str, object]:
    try:
        data = json.loads(state_path(db_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def last_check_day(db_path: Path) -> date | None:
    """The civil day of the last completed check, if any."""
    try:
        return date.fromisoformat(str(_read(db_path).get("day", "")))
    except ValueError:
        return None


def recorded_damage(db_path: Path) -> str | None:
    """The first problem the last check found, or None if it found none (or never ran)."""
    problems = _read(db_path).get("problems")
    if isinstance(problems, list) and problems:
        return str(problems[0])
    return None


def record_check(db_path: Path, day: date, problems: list[str]) -> None:
    """Write the result atomically (temp file, then rename)."""
    target = state_path(db_path)
    temp = target.with_name(f"{target.name}.tmp")
    temp.write_text(json.dumps({"day": day.isoformat(), "problems": problems}, ensure_ascii=False),
                    encoding="utf-8")
    os.replace(temp, target)


def clear_damage(db_path: Path) -> None:
    """The file checks clean again (e.g. after a restore): forget the damage (the next daily check runs)."""
    state_path(db_path).unlink(missing_ok=True)
