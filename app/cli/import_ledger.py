"""``import-ledger FILE``: bring an Excel / CSV 台账 into the current user's ledger."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import EXIT_OK, fail, progress_printer

if TYPE_CHECKING:
    from app.services.ledger_io.plan import ImportPlan

EXIT_INVALID_ROWS = 3  # rows were refused and --skip-invalid was not given: nothing imported


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "import-ledger", help="从 Excel/CSV 台账导入社会组织（.xlsx、.xls、.csv）",
        description="把台账文件（.xlsx、.xls 或 UTF-8/GBK 编码的 .csv）中的社会组织导入当前用户的组织台账。\n"
                    "表头可以在标题行下面、列的顺序不限，常见的列名都能识别（单位名称/组织名称/名称、"
                    "统一社会信用代码/社会信用代码/信用代码、成立日期/成立时间、所在街道/街道 ……）。\n"
                    "按统一社会信用代码匹配已有组织，没有代码时按名称和所在街道匹配；空白单元格不会清除已有内容。"
                    "每一行都按组织表单的规则校验；无效的行会列出“第几行、哪一列、原因”。\n"
                    "有无效行时不导入任何数据，除非加 --skip-invalid（跳过无效行，导入其余各行）。"
                    "整个导入在一个事务中完成：中途出错或按 Ctrl+C，数据库保持原样。\n\n"
                    "退出码：0 已导入（或内容都已相同，或 --dry-run 时没有无效行）；"
                    "1 文件无法导入或没有可导入的行；2 用法错误；"
                    f"{EXIT_INVALID_ROWS} 有无效行而未加 --skip-invalid，没有导入任何数据。")
    parser.add_argument("file", type=Path, metavar="FILE", help="台账文件：.xlsx、.xls 或 .csv")
    parser.add_argument("--skip-invalid", action="store_true", help="跳过无效行，导入其余各行")
    parser.add_argument("--dry-run", action="store_true",
                        help="只显示导入计划（新增/更新/不变/拒绝及原因；更新的行列出每一项的“原值 → 新值”），不写入；"
                             "该用户还没有台账时按空台账核对，不创建数据库")
    parser.set_defaults(handler=handle)


def _print_plan(plan: ImportPlan) -> None:
    from app.services.ledger_io.plan import RowStatus

    print(plan.summary())
    for row in plan.rejected:
        print(f"  拒绝 第 {row.sheet_row} 行（{row.name or '无名称'}）：{row.reason_text}")
    for row in plan.rows:
        if row.status is RowStatus.UPDATE:  # old -> new: a re-imported older file must not undo edits unseen
            print(f"  更新 第 {row.sheet_row} 行（{row.name}）：{row.change_text}")
    for row in plan.rows:
        if row.warnings and row.status is not RowStatus.REJECTED:  # worth a look; imported all the same
            print(f"  提示 第 {row.sheet_row} 行（{row.name}）：{'；'.join(str(w) for w in row.warnings)}")
    for number, why in plan.skipped:
        print(f"  略过 第 {number} 行：{why}")
    if plan.ignored_columns:
        print(f"  未导入的列：{'、'.join(plan.ignored_columns)}")


def _dry_run_on_empty_ledger(args: argparse.Namespace) -> int:
    """--dry-run for a profile that has no database yet: plan against an empty ledger in a scratch database
    that is deleted afterwards, so a dry run never creates the profile's database."""
    import tempfile

    from app.services.core.database import open_database
    from app.services.ledger_io.plan import plan_import

    with tempfile.TemporaryDirectory(prefix="dangjian-dry-run-") as folder:
        database = open_database(Path(folder) / "empty.sqlite3")
        try:
            plan = plan_import(database.session_factory, args.file, progress=progress_printer(sys.stderr))
        finally:
            database.close()
    print("（这个用户还没有台账：按空台账核对，所有有效的行都是新增）")
    outcome = _report(plan, args)
    return EXIT_OK if outcome is None else outcome


def _report(plan: ImportPlan, args: argparse.Namespace) -> int | None:
    """Print the plan; the exit code when the command ends here (refused rows, or --dry-run), else None."""
    _print_plan(plan)
    if plan.rejected and not args.skip_invalid:
        return fail(f"有 {len(plan.rejected)} 行无效，没有导入任何数据：请按上面的原因修改文件，"
                    "或加 --skip-invalid 跳过这些行。", EXIT_INVALID_ROWS)
    if args.dry_run:
        print("（--dry-run：没有写入任何数据）")
        return EXIT_OK
    return None


def handle(args: argparse.Namespace) -> int:
    from app import paths
    from app.services.core.database import open_database
    from app.services.core.identity import current_actor, current_user
    from app.services.ledger_io.apply import apply_plan
    from app.services.ledger_io.plan import RowStatus, plan_import
    from app.services.ledger_io.reading import folder_message

    if args.file.is_dir():
        return fail(folder_message(args.file))
    if not args.file.is_file():
        return fail(f"找不到文件：{args.file}")
    if args.dry_run and not paths.database_file(current_user()).exists():
        return _dry_run_on_empty_ledger(args)
    database = open_database(paths.database_path(current_user()))
    try:
        factory = database.session_factory
        plan = plan_import(factory, args.file, progress=progress_printer(sys.stderr))
        outcome = _report(plan, args)
        if outcome is not None:
            return outcome
        if not plan.writes:
            if not plan.count(RowStatus.UNCHANGED):
                return fail("没有可导入的行：每一行都无效。")
            print("没有需要写入的组织：文件中的组织都已在台账中，内容相同。")
            return EXIT_OK
        result = apply_plan(factory, plan, skip_invalid=args.skip_invalid, actor=current_actor(),
                            progress=progress_printer(sys.stderr))
    finally:
        database.close()
    print(f"{result.summary()}。")
    return EXIT_OK
