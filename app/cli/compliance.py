"""``compliance``: the compliance findings of a period (三会一课, 换届, 应建未建, 年检 …), as text or JSON."""

from __future__ import annotations

import argparse
import json
import re
from datetime import date
from typing import TYPE_CHECKING, Any

from app.cli.common import EXIT_OK, fail

if TYPE_CHECKING:
    from app.domain.periods import Period
    from app.services.compliance.report import Report

_PERIOD = re.compile(r"(\d{4})(?:\s*[-/年.]\s*(\d{1,2})月?|\s*[Qq]\s*([1-4])|\s*年?)")


def parse_period(value: str) -> Period:
    """2026Q3 → the third quarter of 2026; 2026-08 → August 2026; 2026 → the year 2026."""
    from app.domain.periods import Period, PeriodKind

    found = _PERIOD.fullmatch(value.strip())
    if found is None or not 1900 <= int(found[1]) <= 2999 or (found[2] and not 1 <= int(found[2]) <= 12):
        raise argparse.ArgumentTypeError(
            f"无法识别的周期“{value}”：请写成 2026Q3（季度）、2026-08（月份）或 2026（年度）")
    year = int(found[1])
    if found[2]:
        return Period(date(year, int(found[2]), 1), PeriodKind.MONTH)
    if found[3]:
        return Period(date(year, (int(found[3]) - 1) * 3 + 1, 1), PeriodKind.QUARTER)
    return Period(date(year, 1, 1), PeriodKind.YEAR)


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "compliance", help="列出合规检查发现的问题（三会一课、换届、应建未建、年检等）",
        description="按规则包检查党组织的三会一课和组织生活、换届、组织设置、会议记录，以及社会组织的应建未建、"
                    "工作覆盖、党建入章、年检、评估等级和信用名单，列出所选周期的问题：每行一项"
                    "（级别、党组织或社会组织、说明）。待办：周期尚未结束，还可完成；违规：期限已过。"
                    "结果过期（新的一天或规则包已变）时先重新计算。")
    parser.add_argument("--period", type=parse_period, metavar="周期",
                        help="2026Q3（季度）、2026-08（月份）或 2026（年度）；默认为本月")
    parser.add_argument("--org", metavar="名称或代码",
                        help="只看这个社会组织或党组织（名称、简称、统一社会信用代码，或名称的一部分）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出（便于其他程序读取）")
    parser.add_argument("--include-waived", action="store_true", help="同时列出已豁免的问题（标明“已豁免”）")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from app import paths
    from app.domain.periods import month_of
    from app.services.compliance import ensure_fresh
    from app.services.compliance.report import period_report
    from app.services.core import clock
    from app.services.core.database import open_database
    from app.services.core.identity import current_user

    db_path = paths.database_file(current_user())
    if not db_path.exists():
        return fail(f"没有找到数据库：{db_path}。该配置档还没有数据（可先运行 seed-demo 生成演示数据）。")
    today = clock.today()
    period = args.period or month_of(today)
    database = open_database(paths.database_path(current_user()))
    try:
        ensure_fresh(database.session_factory, today=today)
        report = period_report(database.session_factory, period=period, today=today, query=args.org,
                               include_waived=args.include_waived)
    finally:
        database.close()
    print(_as_json(report) if args.json else _as_text(report))
    return EXIT_OK


def _as_text(report: Report) -> str:
    who = f"，{report.subject.label}" if report.subject else ""
    lines = [f"合规检查：{report.period.label()}{who}（截至 {report.today.isoformat()}）"]
    for row in report.rows:
        owner = row.party_org_name or row.org_name
        if row.org_name and row.party_org_name and row.org_name != row.party_org_name:
            owner = f"{row.org_name}（{row.party_org_name}）"
        waived = "（已豁免）" if row.waived else ""
        lines.append(f"{row.level.label}\t{owner}\t{row.rule_id.label}\t{row.message}{waived}")
    counts = {level: sum(1 for row in report.rows if row.level.label == level) for level in ("违规", "提醒", "待办")}
    if report.rows:
        lines.append(f"共 {len(report.rows)} 项：" + "，".join(f"{name} {n}" for name, n in counts.items()))
    else:
        lines.append("没有发现问题。")
    return "\n".join(lines)


def _as_json(report: Report) -> str:
    return json.dumps({
        "period": report.period.label(), "period_kind": report.period.kind.value,
        "period_first": report.period.first.isoformat(), "today": report.today.isoformat(),
        "subject": report.subject.label if report.subject else None,
        "findings": [{
            "rule_id": row.rule_id.value, "rule": row.rule_id.label, "level": row.level.value,
            "level_label": row.level.label, "message": row.message, "party_org_id": row.party_org_id,
            "party_org": row.party_org_name or None, "org_id": row.org_id, "org": row.org_name or None,
            "subject": row.subject or None, "period": row.period.label() if row.period else None,
            "due_on": row.due_on.isoformat() if row.due_on else None, "waived": row.waived,
        } for row in report.rows]}, ensure_ascii=False, indent=2)
