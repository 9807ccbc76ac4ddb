"""``import-ledger`` and ``export-ledger`` as a user runs them: exit codes, --dry-run, one-line errors."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ledger_files import HEADER, code, write_xlsx

from app import paths
from app.services.core.database import open_database
from app.services.orgs.dto import ArchivedFilter, LedgerFilter, LedgerSort
from app.services.orgs.ledger import query_ledger
from tests.unit.test_cli import assert_one_line_error, cli


def ledger_size(home: Path) -> int:
    with paths.temporary_home(home):
        database = open_database(paths.database_path(paths.DEFAULT_PROFILE))
    try:
        return query_ledger(database.session_factory, LedgerFilter(archived=ArchivedFilter.ALL), LedgerSort()).total
    finally:
        database.close()


def district(tmp_path: Path, *, bad: bool = False) -> Path:
    rows: list[list[object]] = [["台账"], HEADER, ["甲协会", "社会团体", code("1", 1), "2015.6.1", "东街街道", None, 3],
                                ["乙中心", "民办非企业单位", code("2", 2), "2018/3/5", "东街街道", None, None]]
    if bad:
        rows.append(["丙协会", "社会团体", "91350102MA31234", "2018年13月1日", "东街街道", None, None])
    return write_xlsx(tmp_path / ("有错.xlsx" if bad else "台账.xlsx"), rows)


def test_import_then_reimport_then_export(tmp_path: Path, dangjian_home: Path) -> None:
    result = cli(dangjian_home, "import-ledger", str(district(tmp_path)))
    assert result.returncode == 0, result.stderr
    assert "新增 2" in result.stdout and "已导入：新增 2 个" in result.stdout and "Traceback" not in result.stderr
    again = cli(dangjian_home, "import-ledger", str(district(tmp_path)))
    assert again.returncode == 0 and "不变 2" in again.stdout and "内容相同" in again.stdout
    out = tmp_path / "导出.xlsx"
    exported = cli(dangjian_home, "export-ledger", str(out))
    assert exported.returncode == 0 and out.is_file() and "已导出 2 个组织" in exported.stdout
    refused = cli(dangjian_home, "export-ledger", str(out))
    assert refused.returncode == 1 and "已存在" in assert_one_line_error(refused)
    assert cli(dangjian_home, "export-ledger", str(out), "--force").returncode == 0
    assert ledger_size(dangjian_home) == 2


def test_invalid_rows_block_the_import_with_exit_code_3(tmp_path: Path, dangjian_home: Path) -> None:
    path = district(tmp_path, bad=True)
    result = cli(dangjian_home, "import-ledger", str(path))
    assert result.returncode == 3
    assert "拒绝 第 5 行（丙协会）：D列“成立日期”：“2018年13月1日”不是有效的日期" in result.stdout
    assert "C列“统一社会信用代码”：“统一社会信用代码”有误" in result.stdout
    assert "没有导入任何数据" in assert_one_line_error(result)
    assert ledger_size(dangjian_home) == 0
    dry = cli(dangjian_home, "import-ledger", "--dry-run", "--skip-invalid", str(path))
    assert dry.returncode == 0 and "没有写入任何数据" in dry.stdout and ledger_size(dangjian_home) == 0
    skipped = cli(dangjian_home, "import-ledger", "--skip-invalid", str(path))
    assert skipped.returncode == 0 and "跳过无效行 1 行" in skipped.stdout and ledger_size(dangjian_home) == 2


def test_bad_files_and_usage(tmp_path: Path, dangjian_home: Path) -> None:
    picture = tmp_path / "照片.xlsx"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    result = cli(dangjian_home, "import-ledger", str(picture))
    assert result.returncode == 1 and "是 PNG 图片，不是表格" in assert_one_line_error(result)
    missing = cli(dangjian_home, "import-ledger", str(tmp_path / "没有.xlsx"))
    assert missing.returncode == 1 and assert_one_line_error(missing).startswith("找不到文件")
    folder = cli(dangjian_home, "import-ledger", str(tmp_path))
    assert folder.returncode == 1 and assert_one_line_error(folder).startswith("这是一个文件夹，请选择台账文件")
    usage = cli(dangjian_home, "import-ledger")
    assert usage.returncode == 2 and "缺少必需的参数" in assert_one_line_error(usage)
    wrong = cli(dangjian_home, "export-ledger", str(tmp_path / "台账.xls"))
    assert wrong.returncode == 2 and "只能导出为 .xlsx" in assert_one_line_error(wrong)


def test_help_says_the_exit_codes(dangjian_home: Path) -> None:
    result: subprocess.CompletedProcess[str] = cli(dangjian_home, "import-ledger", "--help")
    assert result.returncode == 0
    assert "3 有无效行而未加 --skip-invalid" in " ".join(result.stdout.split())
    assert "--dry-run" in result.stdout and "--skip-invalid" in result.stdout


def test_dry_run_and_import_list_each_update_with_old_and_new_values(tmp_path: Path, dangjian_home: Path) -> None:
    assert cli(dangjian_home, "import-ledger", str(district(tmp_path))).returncode == 0
    rows: list[list[object]] = [[*HEADER, "联系电话"],
                                ["甲协会", "社会团体", code("1", 1), "2015.6.1", "东街街道", "斗池社区", 3,
                                 "13800000000"]]
    newer = write_xlsx(tmp_path / "新.xlsx", rows)
    dry = cli(dangjian_home, "import-ledger", "--dry-run", str(newer))
    assert dry.returncode == 0, dry.stderr
    assert "  更新 第 2 行（甲协会）：所在社区：（空） → 斗池社区；联系电话：（空） → 13800000000" in dry.stdout
    done = cli(dangjian_home, "import-ledger", str(newer))
    assert done.returncode == 0 and "更新 第 2 行（甲协会）：所在社区：（空） → 斗池社区" in done.stdout


def test_a_dry_run_creates_no_profile_database(tmp_path: Path, dangjian_home: Path) -> None:
    picture = tmp_path / "照片.xlsx"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    bad = cli(dangjian_home, "--profile", "xinjie", "import-ledger", "--dry-run", str(picture))
    assert bad.returncode == 1 and "PNG" in assert_one_line_error(bad)
    good = cli(dangjian_home, "--profile", "xinjie", "import-ledger", "--dry-run", str(district(tmp_path)))
    assert good.returncode == 0 and "新增 2" in good.stdout and "没有写入任何数据" in good.stdout, good.stderr
    with paths.temporary_home(dangjian_home):
        profile_database = paths.database_file("xinjie")
    assert not list(profile_database.parent.glob(profile_database.name + "*"))
