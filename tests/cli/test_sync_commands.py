"""``sign-in``, ``sync`` and ``sign-out`` over a stand-in for the sync service's network side: bad input is
one line and a non-zero exit, the no-keyring path says to pass --password-stdin and why, a sync prints
what it did.  (Against a real server: test_sync_server.py.)"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest

from app import paths
from app.cli import run
from app.services.core import app_lock
from app.services.core.database import open_database
from app.services.sync import PasswordNeeded, SyncError, SyncReport, WrongPassword
from tests.sync_fakes import ACCOUNT, FakeSync, status


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeSync:
    return FakeSync().install(monkeypatch)


def stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def signed_in_profile(fake: FakeSync, account: object = ACCOUNT) -> None:
    """The profile's database exists (sync opens it) and the fake says it is signed in."""
    open_database(paths.database_path("zhangsan")).close()
    paths.set_active_profile("zhangsan")
    fake.status = status(account, pending=1)  # type: ignore[arg-type]


SIGN_IN = ["sign-in", "--server", "https://qu.example.gov.cn/", "--user", "zhangsan", "--password-stdin"]


def test_sign_in_says_which_profile_is_now_the_default_and_that_the_keyring_keeps_it(
        fake: FakeSync, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    stdin(monkeypatch, "secret\n")
    assert run(SIGN_IN) == 0
    assert fake.called("sign_in") == [("https://qu.example.gov.cn", "zhangsan", "secret", None)]
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "已登录：张三（zhangsan，党建指导员）@ https://qu.example.gov.cn"
    assert "默认用户配置现在是 zhangsan" in out[1] and "钥匙串" in out[2] and "无需再输入密码" in out[2]


def test_sign_in_without_a_keyring_explains_what_that_means(
        fake: FakeSync, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    fake.account = replace(ACCOUNT, keyring_ok=False)
    stdin(monkeypatch, "secret\n")
    assert run(SIGN_IN) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert "没有可用的系统钥匙串" in last and "从不以明文保存" in last and "--password-stdin" in last


@pytest.mark.parametrize(("args", "stdin_text", "says"), [
    (["sign-in", "--server", "qu.example.gov.cn", "--user", "zhangsan", "--password-stdin"], "pw\n",
     "应以 https:// 或 http:// 开头"),
    (["sign-in", "--server", "https://qu.example.gov.cn", "--user", "demo", "--password-stdin"], "pw\n",
     "演示数据（demo）不参与同步"),
    (["sign-in", "--server", "https://qu.example.gov.cn", "--user", "Zhang San", "--password-stdin"], "pw\n",
     "用户名“Zhang San”无效"),
    (SIGN_IN, "\n", "读到的是空行"),
    (SIGN_IN, "", "读到的是空行"),
    (SIGN_IN[:-1], "", "请加 --password-stdin"),
    (["sign-in", "--user", "zhangsan"], "", "缺少必需的参数：--server"),
])
def test_sign_in_bad_input_is_one_line(fake: FakeSync, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str], args: list[str], stdin_text: str,
                                       says: str) -> None:
    stdin(monkeypatch, stdin_text)
    assert run(args) == 2
    assert says in one_line(capsys)
    assert fake.called("sign_in") == []


def test_sign_in_with_a_missing_ca_file(fake: FakeSync, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    stdin(monkeypatch, "pw\n")
    assert run([*SIGN_IN, "--ca-file", str(tmp_path / "none.pem")]) == 1
    assert "找不到根证书文件" in one_line(capsys)


def test_a_failed_sign_in_is_one_line(fake: FakeSync, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    fake.errors.append(SyncError("用户名或密码不正确。"))
    stdin(monkeypatch, "wrong\n")
    assert run(SIGN_IN) == 1
    assert one_line(capsys) == "用户名或密码不正确。"


def test_sync_prints_what_it_did(fake: FakeSync, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    signed_in_profile(fake)
    fake.report = SyncReport(pushed=5, applied=1, merged=1, duplicates=1, rejected=1, conflicts=1, pulled=9,
                             open_conflicts=1, confirmed_numbers=(("临时-1", "鼓民社党〔2026〕3号"),),
                             quarantined_orgs=("第7协会",), messages=("第9协会：无权修改（该组织不由您负责）",))
    stdin(monkeypatch, "")
    assert run(["sync"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ("已发送 5 条修改（1 条生效、1 条与他人的修改合并、1 条与他人的修改冲突、1 条此前已送达、"
                      "1 条未被接受），接收 9 条；待确认的冲突 1 条。")
    assert "临时-1 → 鼓民社党〔2026〕3号" in out[1] and "第7协会" in out[2]
    assert "第9协会：无权修改（该组织不由您负责）" in out and "查看冲突" in out[-1]
    assert fake.called("run_sync") == [None]


def test_sync_without_a_keyring_and_without_password_stdin_says_to_pass_it(
        fake: FakeSync, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    signed_in_profile(fake, replace(ACCOUNT, keyring_ok=False))
    stdin(monkeypatch, "")
    assert run(["sync"]) == 2
    line = one_line(capsys)
    assert "没有可用的系统钥匙串" in line and "请加 --password-stdin" in line
    assert fake.called("run_sync") == []


def test_sync_without_a_keyring_takes_the_password_from_stdin(
        fake: FakeSync, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    signed_in_profile(fake, replace(ACCOUNT, keyring_ok=False))
    stdin(monkeypatch, "secret\n")
    assert run(["sync", "--password-stdin"]) == 0
    assert fake.called("run_sync") == ["secret"]


def test_sync_whose_sign_in_expired_says_to_give_the_password(
        fake: FakeSync, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    signed_in_profile(fake)
    fake.errors.append(PasswordNeeded("登录已过期，需要重新输入密码。"))
    stdin(monkeypatch, "")
    assert run(["sync"]) == 1
    assert one_line(capsys) == "登录已过期，需要重新输入密码：请加 --password-stdin 提供密码。"


def test_a_refused_password_says_to_check_it_not_to_give_one(
        fake: FakeSync, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    signed_in_profile(fake, replace(ACCOUNT, keyring_ok=False))
    fake.errors.append(WrongPassword("用户名或密码不正确。"))
    stdin(monkeypatch, "wrong\n")
    assert run(["sync", "--password-stdin"]) == 1
    assert one_line(capsys) == "用户名或密码不正确：请检查密码后再试。"


def test_a_failed_sync_is_one_line_and_exit_1(fake: FakeSync, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    signed_in_profile(fake)
    fake.errors.append(SyncError("连不上区服务器 https://qu.example.gov.cn：请检查网络后再试。"))
    assert run(["sync"]) == 1
    assert one_line(capsys) == "连不上区服务器 https://qu.example.gov.cn：请检查网络后再试。"


@pytest.mark.parametrize(("profile", "says"), [("demo", "演示数据不参与同步"), ("nobody", "还没有登录区服务器")])
def test_sync_of_a_profile_that_cannot_sync(fake: FakeSync, capsys: pytest.CaptureFixture[str], profile: str,
                                            says: str) -> None:
    assert run(["--profile", profile, "sync"]) == 1
    assert says in one_line(capsys) and fake.called("run_sync") == []


def test_sync_of_a_profile_never_signed_in(fake: FakeSync, capsys: pytest.CaptureFixture[str]) -> None:
    open_database(paths.database_path("local")).close()
    assert run(["sync"]) == 1
    assert "请先运行 python -m app sign-in" in one_line(capsys)


def test_sign_out_keeps_the_data_and_says_so(fake: FakeSync, capsys: pytest.CaptureFixture[str]) -> None:
    signed_in_profile(fake)
    assert run(["sign-out"]) == 0
    assert fake.called("sign_out") == ["zhangsan"]
    assert "数据和未发送的修改都保留" in capsys.readouterr().out


def test_sign_out_of_the_demo_is_one_line(fake: FakeSync, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--profile", "demo", "sign-out"]) == 1
    assert "演示数据不参与同步" in one_line(capsys)


@pytest.mark.parametrize(("command", "where"), [("sync", "按 F9"), ("sign-out", "退出登录")])
def test_sync_and_sign_out_wait_for_the_window_on_the_same_profile(
        fake: FakeSync, capsys: pytest.CaptureFixture[str], command: str, where: str) -> None:
    """The window holds the profile's lock: the command says where to do it instead and touches nothing."""
    signed_in_profile(fake)
    with app_lock.holding("zhangsan"):
        assert run([command]) == 1
        line = one_line(capsys)
    assert "正在被图形界面或另一个命令使用" in line and where in line
    assert fake.called("run_sync") == [] and fake.called("sign_out") == []
    assert run([command]) == 0  # closed: it runs, and lets go of the lock again
    app_lock.holding("zhangsan").__enter__().release()


@pytest.mark.parametrize("command", ["sign-in", "sync", "sign-out"])
def test_each_command_has_chinese_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("用法 (usage)：") and "退出码" in out and "显示本帮助并退出" in out


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_at_a_terminal_progress_goes_to_stderr_and_ends_its_line(
        fake: FakeSync, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    signed_in_profile(fake)
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert run(["sync"]) == 0
    assert terminal.getvalue() == "\r发送修改 1/3（33%）    \n"
    assert capsys.readouterr().out.startswith("已发送 3 条修改")
