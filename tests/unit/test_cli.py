"""``python -m app`` subcommands, run as a user would (a subprocess with DANGJIAN_HOME set): results,
exit codes, and bad input answered with one clear line on stderr — never a traceback."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from app import APP_NAME, __version__, paths
from app.cli import run
from app.models import SocialOrg
from app.services.core.database import open_database
from app.services.orgs.dto import ArchivedFilter, LedgerFilter, LedgerSort
from app.services.orgs.ledger import query_ledger

ROOT = Path(__file__).resolve().parents[2]


def cli(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "DANGJIAN_HOME": str(home), "PYTHONIOENCODING": "utf-8", **env}
    environment.pop("DANGJIAN_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=environment, capture_output=True,
                          text=True, encoding="utf-8", timeout=180, check=False)


def assert_one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_validate_uscc_examples(dangjian_home: Path) -> None:
    result = cli(dangjian_home, "validate-uscc", "91350100M000100Y43", "91350100M000100Y44", "5310000050001979")
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows[0] == ["91350100M000100Y43", "ok", ""]
    assert rows[1][:2] == ["91350100M000100Y44", "warning"] and "校验位" in rows[1][2]
    assert rows[2][:2] == ["5310000050001979", "error"] and "18" in rows[2][2]
    assert len(rows) == 3 and result.returncode == 1 and not result.stderr


def test_validate_uscc_without_errors_exits_zero(dangjian_home: Path) -> None:
    result = cli(dangjian_home, "validate-uscc", "91350100M000100Y43", "91350100M000100Y44")
    assert result.returncode == 0
    assert [line.split("\t")[1] for line in result.stdout.splitlines()] == ["ok", "warning"]


@pytest.mark.parametrize("args", [
    ["bogus"],
    ["validate-uscc"],
    ["seed-demo", "--orgs", "-5"],
    ["seed-demo", "--orgs", "abc"],
    ["seed-demo", "--years", "99"],
    ["seed-demo", "--orgs"],
    ["seed-demo", "--no-such-option"],
])
def test_bad_input_is_one_line_and_usage_exit(dangjian_home: Path, args: list[str]) -> None:
    result = cli(dangjian_home, *args)
    line = assert_one_line_error(result)
    assert result.returncode == 2 and not result.stdout
    assert "--help" in line and any("\u4e00" <= ch <= "\u9fff" for ch in line)


def test_help_and_version(dangjian_home: Path) -> None:
    for args in (["--help"], ["seed-demo", "--help"], ["validate-uscc", "--help"], ["self-check", "--help"]):
        result = cli(dangjian_home, *args)
        assert result.returncode == 0 and "用法" in result.stdout and not result.stderr
    assert "--orgs" in cli(dangjian_home, "seed-demo", "--help").stdout
    version = cli(dangjian_home, "--version")
    assert version.returncode == 0 and version.stdout.strip() == f"{APP_NAME} {__version__}"


def test_seed_demo_fills_the_ledger(dangjian_home: Path) -> None:
    result = cli(dangjian_home, "seed-demo", "--orgs", "40", "--years", "1")
    assert result.returncode == 0, result.stderr
    assert "社会组织 40 个" in result.stdout and len(result.stdout.strip().splitlines()) == 1
    assert not (dangjian_home / "users" / "local").exists()  # the user's own data is never touched
    database = open_database(paths.database_path(paths.DEMO_PROFILE))
    try:
        ids = query_ledger(database.session_factory, LedgerFilter(archived=ArchivedFilter.ALL), LedgerSort()).ids
    finally:
        database.close()
    assert len(ids) == 40


def test_second_seed_needs_force_and_never_duplicates_codes(dangjian_home: Path) -> None:
    assert cli(dangjian_home, "seed-demo", "--orgs", "30", "--years", "0").returncode == 0
    refused = cli(dangjian_home, "seed-demo", "--orgs", "30", "--years", "0")
    assert refused.returncode == 1 and "--force" in assert_one_line_error(refused)
    forced = cli(dangjian_home, "seed-demo", "--orgs", "30", "--years", "0", "--force")
    assert forced.returncode == 0, forced.stderr
    database = open_database(paths.database_path(paths.DEMO_PROFILE))
    try:
        with database.session_factory() as session:
            codes = [c for c in session.execute(select(SocialOrg.uscc)).scalars() if c]
    finally:
        database.close()
    assert len(codes) == len(set(codes)) > 30


def test_corrupt_database_is_named_and_left_alone(dangjian_home: Path) -> None:
    db_path = paths.database_path(paths.DEMO_PROFILE)
    garbage = b"this is not a database\x00" * 300
    db_path.write_bytes(garbage)
    result = cli(dangjian_home, "seed-demo", "--orgs", "5")
    line = assert_one_line_error(result)
    assert result.returncode == 1 and str(db_path) in line and "损坏" in line
    assert db_path.read_bytes() == garbage


def test_database_from_a_newer_version_is_refused(dangjian_home: Path) -> None:
    db_path = paths.database_path(paths.DEMO_PROFILE)
    open_database(db_path).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.close()
    result = cli(dangjian_home, "seed-demo", "--orgs", "5")
    line = assert_one_line_error(result)
    assert result.returncode == 1 and "9999_from_the_future" in line and str(db_path) in line


def test_self_check_paints_offscreen(dangjian_home: Path, tmp_path: Path) -> None:
    shot = tmp_path / "main.png"
    result = cli(dangjian_home, "self-check", "--screenshot", str(shot), QT_QPA_PLATFORM="offscreen")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) >= 4 and all(line.startswith("[通过]") for line in lines[:-1])
    assert any(line.startswith("[通过] 规则包") for line in lines)
    assert any(line.startswith("[通过] 文书 PDF") for line in lines)
    assert shot.stat().st_size > 1000
    assert "Traceback" not in result.stderr


def test_run_in_process_reports_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["validate-uscc", "5310000050001979"]) == 1
    assert capsys.readouterr().out == "5310000050001979\terror\t应为18位，实际为16位\n"
    assert run(["seed-demo", "--years", "-1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--years" in err
