"""``python -m app print-notice`` run as a user would (a subprocess on a seeded demo profile): ``--latest``
for every kind, ``--id``, a month's batch, and bad input answered with one Chinese line, never a traceback."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from app import paths
from app.demo.data import seed_demo
from app.services.core.database import open_database
from app.services.notices import create_rectification_notice, latest_record_id, list_notices, load_notice
from tests.unit.notices.notice_builders import ACTOR, item
from tests.unit.test_cli import assert_one_line_error, cli

KINDS = ("rectification", "visit", "reminder", "meeting", "visit-record")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("print-notice-home")
    with paths.temporary_home(folder):
        database = open_database(paths.database_path(paths.DEMO_PROFILE))
        seed_demo(database.session_factory, orgs=60, years=1, seed=5, today=date(2026, 11, 21), me="local")
        database.close()
    yield folder



@pytest.mark.parametrize("kind", KINDS)
def test_latest_of_each_kind_round_trips(home: Path, tmp_path: Path, kind: str) -> None:
    out = tmp_path / f"{kind}.pdf"
    result = cli(home, "--profile", "demo", "print-notice", "--kind", kind, "--latest", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert not result.stderr and "已生成" in result.stdout and str(out) in result.stdout
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert len(reader.pages) >= 1 and f"（{len(reader.pages)} 页" in result.stdout


def test_by_id_twice_gives_the_same_file_and_notes_both_prints(home: Path, tmp_path: Path) -> None:
    with paths.temporary_home(home):
        database = open_database(paths.database_path(paths.DEMO_PROFILE))
        notice_id = latest_record_id(database.session_factory, "rectification")
        assert notice_id is not None
        before = len(load_notice(database.session_factory, notice_id).prints)
        database.close()
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for out in (first, second):
        result = cli(home, "--profile", "demo", "print-notice", "--kind", "rectification", "--id", notice_id,
                     "--out", str(out))
        assert result.returncode == 0, result.stderr
    assert first.read_bytes() == second.read_bytes()
    with paths.temporary_home(home):
        database = open_database(paths.database_path(paths.DEMO_PROFILE))
        prints = load_notice(database.session_factory, notice_id).prints
        database.close()
    assert len(prints) == before + 2 and prints[-1].sha256 == prints[-2].sha256


def test_a_draft_by_id_is_a_marked_check_copy_and_not_noted(home: Path, tmp_path: Path) -> None:
    with paths.temporary_home(home):
        database = open_database(paths.database_path(paths.DEMO_PROFILE))
        org_id = list_notices(database.session_factory)[0].org_id
        item_id = item(database, org_id, "党建入章未完成", deadline=date(2036, 12, 31))  # after any "today"
        draft = create_rectification_notice(database.session_factory, org_id=org_id, item_ids=[item_id], actor=ACTOR)
        database.close()
    out = tmp_path / "draft.pdf"
    result = cli(home, "--profile", "demo", "print-notice", "--kind", "rectification", "--id", draft,
                 "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "仅供核对，不登记为打印" in result.stdout
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert "签发时编号" in text and "草稿" in text
    with paths.temporary_home(home):
        database = open_database(paths.database_path(paths.DEMO_PROFILE))
        detail = load_notice(database.session_factory, draft)
        database.close()
    assert detail.prints == () and detail.provisional_seq is None and detail.confirmed_seq is None


def test_a_months_batch(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "2026-10.pdf"
    result = cli(home, "--profile", "demo", "print-notice", "--month", "2026-10", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "2026年10月签发的" in result.stdout and out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(("args", "says", "code"), [
    (["--kind", "rectification", "--id", "no-such-id", "--out", "{tmp}/x.pdf"], "找不到该通知", 1),
    (["--kind", "meeting", "--id", "no-such-id", "--out", "{tmp}/x.pdf"], "找不到该会议记录", 1),
    (["--kind", "visit-record", "--id", "no-such-id", "--out", "{tmp}/x.pdf"], "找不到该走访", 1),
    (["--kind", "rectification", "--id", " ", "--out", "{tmp}/x.pdf"], "--id 不能为空", 2),
    (["--kind", "rectification", "--latest", "--out", "{tmp}/no-folder/x.pdf"], "文件夹不存在", 1),
    (["--kind", "rectification", "--latest", "--out", "{tmp}/x.txt"], "只能保存为 .pdf 文件", 2),
    (["--kind", "rectification", "--latest", "--out", "{tmp}"], "是一个文件夹", 2),
    (["--kind", "letters", "--latest", "--out", "{tmp}/x.pdf"], "无效的选择", 2),
    (["--latest", "--out", "{tmp}/x.pdf"], "请用 --kind 指定文书种类", 2),
    (["--kind", "rectification", "--out", "{tmp}/x.pdf"], "缺少必需的参数", 2),
    (["--kind", "rectification", "--latest", "--id", "x", "--out", "{tmp}/x.pdf"], "不能与 --latest 同时使用", 2),
    (["--month", "2026-13", "--out", "{tmp}/x.pdf"], "无法识别的月份", 2),
    (["--month", "2020-02", "--out", "{tmp}/x.pdf"], "2020年2月没有签发的通知", 1),
])
def test_bad_input_is_one_clear_line(home: Path, tmp_path: Path, args: list[str], says: str, code: int) -> None:
    result = cli(home, "--profile", "demo", "print-notice", *[a.format(tmp=tmp_path) for a in args])
    line = assert_one_line_error(result)
    assert says in line and result.returncode == code


def test_an_existing_file_is_kept_without_force(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "kept.pdf"
    out.write_bytes(b"mine")
    result = cli(home, "--profile", "demo", "print-notice", "--kind", "meeting", "--latest", "--out", str(out))
    assert "已存在" in assert_one_line_error(result) and out.read_bytes() == b"mine"
    forced = cli(home, "--profile", "demo", "print-notice", "--kind", "meeting", "--latest", "--out", str(out),
                 "--force")
    assert forced.returncode == 0 and out.read_bytes().startswith(b"%PDF")


def test_nothing_to_print_says_so(tmp_path: Path) -> None:
    result = cli(tmp_path / "empty-home", "print-notice", "--kind", "reminder", "--latest", "--out",
                 str(tmp_path / "x.pdf"))
    assert "没有可打印的已签发、未作废的提醒函" in assert_one_line_error(result) and result.returncode == 1


def test_help_is_chinese(tmp_path: Path) -> None:
    result = cli(tmp_path, "print-notice", "--help")
    assert result.returncode == 0 and "整改通知书" in result.stdout and "--unmasked" in result.stdout
