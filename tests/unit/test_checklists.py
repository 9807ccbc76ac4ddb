"""走访检查表 files (issue 8 item 1): the shipped versions parse, a newer one rewords, adds and drops items
(so an old visit after the change is a real case), and a bad file is refused with every fault in Chinese."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.checklists import ChecklistError, newest, parse_checklist, version_key
from app.services.visits import all_checklists, current_checklist


def test_the_shipped_versions_differ_as_a_real_change_would() -> None:
    old, new = all_checklists()
    assert (old.version, new.version) == ("2024.1", "2026.1") and current_checklist() is new
    old_items, new_items = ({i.code: i.text for i in c.items} for c in (old, new))
    assert "C08" in old_items and "C08" not in new_items  # dropped
    assert {"C09", "C10"} <= set(new_items) - set(old_items)  # added
    assert old_items["C02"] != new_items["C02"] and old_items["C01"] == new_items["C01"]  # reworded, kept
    assert newest((old, new), on=date(2025, 12, 31)) is old and newest((old, new), on=date(2026, 1, 1)) is new


def test_versions_sort_by_year_then_number() -> None:
    assert sorted(["2024.10", "2024.9", "2023.2"], key=version_key) == ["2023.2", "2024.9", "2024.10"]


def test_a_bad_file_lists_every_fault() -> None:
    with pytest.raises(ChecklistError) as raised:
        parse_checklist({"version": "2026", "effective": "2026-01-01", "items": [
            {"code": "C01", "text": ""}, {"code": "c2", "text": "x"}, {"code": "C01", "text": "y", "extra": 1}]},
            expected_version="2026.2")
    problems = "；".join(raised.value.problems)
    for words in ("version 应为", "effective 应为生效日期", "C01 的 text 不能为空", "第 2 项的 code",
                  "编号 C01 出现了两次", "不认识的键：extra"):
        assert words in problems
    with pytest.raises(ChecklistError, match="不一致"):
        parse_checklist({"version": "2026.1", "effective": date(2026, 1, 1), "items": [{"code": "C1", "text": "a"}]},
                        expected_version="2026.2")
