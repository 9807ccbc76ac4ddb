"""A stand-in for the network side of ``app.services.sync`` in UI and CLI tests: the public functions
replaced (monkeypatch) by ones that answer from this object's fields and record their calls, so a test of
a dialog or a view can choose the account, the status, the report or the error without a server.

The DTOs and errors are the real ones.  Tests of the real sync against a real server are in
tests/cli/test_sync_server.py and tests/sync/.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from app.services import sync
from app.services.sync import Account, ConflictItem, FailedOp, SyncReport, SyncStatus

ACCOUNT = Account(profile="zhangsan", server_url="https://qu.example.gov.cn", username="zhangsan",
                  role="instructor", display_name="张三", keyring_ok=True)


def status(account: Account | None = ACCOUNT, **fields: Any) -> SyncStatus:
    values: dict[str, Any] = {"account": account, "last_synced_at": None, "last_error": "", "pending": 0,
                              "failed": (), "conflicts": 0, "quarantined_orgs": ()}
    values.update(fields)
    return SyncStatus(**values)


def conflict(number: int, **fields: Any) -> ConflictItem:
    values: dict[str, Any] = {
        "id": f"c{number}", "entity": "social_org", "entity_label": "社会组织", "record_id": f"org{number}",
        "record_label": f"社会组织“第{number}协会”", "field": "address", "field_label": "住所",
        "yours": "鼓楼区东街 1 号", "other": "鼓楼区西街 2 号", "kept": "鼓楼区东街 1 号",
        "at": datetime(2026, 3, 30, 2, 0, tzinfo=UTC), "by": "lisi"}
    values.update(fields)
    return ConflictItem(**values)


FAILED = FailedOp(entity="social_org", record_id="org9", label="社会组织“第9协会”", error="无权修改：该组织不由您负责",
                  attempts=2)


@dataclass
class FakeSync:
    """What the replaced functions answer; ``calls`` records (name, args) in order."""

    status: SyncStatus = field(default_factory=lambda: status(None))
    account: Account = ACCOUNT
    report: SyncReport = field(default_factory=lambda: SyncReport(pushed=3, applied=3, pulled=5))
    conflicts: list[ConflictItem] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)  # raised by the next run_sync / sign_in / discard
    calls: list[tuple[str, Any]] = field(default_factory=list)
    token_in_memory: bool = False  # without a keyring the service keeps the sign-in for the session

    def sign_in(self, server_url: str, username: str, password: str, *, ca_file: str | None = None,
                device_name: str | None = None) -> Account:
        self.calls.append(("sign_in", (server_url, username, password, ca_file)))
        if self.errors:
            raise self.errors.pop(0)
        self.status = replace(self.status, account=self.account)
        return self.account

    def sign_out(self, profile: str | None = None) -> None:
        self.calls.append(("sign_out", profile))
        self.status = replace(self.status, account=None)

    def account_of(self, _factory: object) -> Account | None:
        return self.status.account

    def sync_status(self, _factory: object) -> SyncStatus:
        self.calls.append(("sync_status", None))
        return self.status

    def run_sync(self, _factory: object, *, password: str | None = None, progress: Any = None,
                 cancel: Any = None, transport: Any = None) -> SyncReport:
        self.calls.append(("run_sync", password))
        if progress is not None:
            progress(sync.SyncProgress("发送修改", 1, 3))
        if cancel is not None and cancel.is_set():  # as the engine does between requests
            raise sync.SyncCancelled
        account = self.status.account
        if account is not None and not account.keyring_ok and password is None and not self.token_in_memory:
            raise sync.PasswordNeeded("本机没有可用的系统钥匙串，无法保存登录状态：请输入密码后同步。")
        self.token_in_memory = self.token_in_memory or password is not None
        if self.errors:
            raise self.errors.pop(0)
        self.status = replace(self.status, pending=0, last_synced_at=datetime.now().astimezone(), last_error="")
        return self.report

    def list_conflicts(self, _factory: object, *, include_resolved: bool = False) -> list[ConflictItem]:
        return list(self.conflicts)

    def resolve_conflict(self, _factory: object, conflict_id: str, keep: str, *, actor: str) -> None:
        self.calls.append(("resolve_conflict", (conflict_id, keep)))
        self.conflicts = [item for item in self.conflicts if item.id != conflict_id]

    def export_unsent(self, _factory: object, path: Path) -> sync.UnsentExport:
        self.calls.append(("export_unsent", path))
        path.write_text("[]", encoding="utf-8")
        return sync.UnsentExport(4, 0, None)

    def discard_exported(self, _factory: object, path: Path) -> tuple[str, ...]:
        self.calls.append(("discard_exported", path))
        if self.errors:
            raise self.errors.pop(0)
        names, self.status = self.status.quarantined_orgs, replace(self.status, quarantined_orgs=())
        return names

    def called(self, name: str) -> list[Any]:
        return [args for called, args in self.calls if called == name]

    def install(self, monkeypatch: pytest.MonkeyPatch) -> FakeSync:
        for name in ("sign_in", "sign_out", "account_of", "sync_status", "run_sync", "list_conflicts",
                     "resolve_conflict", "export_unsent", "discard_exported"):
            monkeypatch.setattr(sync, name, getattr(self, name))
        return self
