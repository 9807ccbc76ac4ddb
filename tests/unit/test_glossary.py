"""docs/glossary.md stays true: every module it names exists and mentions the code names it lists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROW = re.compile(r"^\| (?P<term>[^|]+) \| (?P<code>[^|]+) \| (?P<module>[^|]+) \|$")


def _rows() -> list[tuple[str, list[str], str]]:
    rows = []
    for line in (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8").splitlines():
        found = ROW.match(line)
        if not found or found["term"].strip() in ("中文", "---"):
            continue
        names = re.findall(r"`([^`]+)`", found["code"])
        module = re.findall(r"`([^`]+)`", found["module"])
        if names and module and not found["module"].strip().startswith("—"):
            rows.append((found["term"].strip(), names, module[0]))
    return rows


def test_the_glossary_names_modules_that_exist_and_hold_its_names() -> None:
    rows = _rows()
    assert len(rows) > 50, "the glossary table was not parsed"
    problems = []
    for term, names, module in rows:
        path = ROOT / module
        if not path.is_file():
            problems.append(f"{term}: {module} does not exist")
            continue
        text = path.read_text(encoding="utf-8")
        for name in names:
            last = name.split(".")[-1].split("(")[0].strip()
            if last not in text:
                problems.append(f"{term}: {last} not found in {module}")
    assert problems == []
