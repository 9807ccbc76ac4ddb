"""Errors the services raise; each carries a Chinese message that says what to do."""

from __future__ import annotations

from pathlib import Path


class ServiceError(Exception):
    """Base class: ``str(error)`` is a complete Chinese sentence for the user."""


class CorruptDatabaseError(ServiceError):
    def __init__(self, path: Path, backup: Path | None, detail: str) -> None:
        self.path, self.backup, self.detail = path, backup, detail
        hint = f"最近的备份：{backup}" if backup else "没有找到备份"
        super().__init__(f"数据库文件已损坏或不是本软件的数据库：{path}（{detail}）。文件未被改动。{hint}。")


class NewerDatabaseError(ServiceError):
    def __init__(self, path: Path, stored: str, head: str) -> None:
        self.path, self.stored, self.head = path, stored, head
        super().__init__(
            f"数据库 {path} 由更新版本的软件创建（结构版本 {stored}，本软件支持到 {head}）。"
            "为避免数据损坏，本软件不会打开或降级它，请升级软件后再打开。"
        )


class NotFoundError(ServiceError):
    pass


class ValidationFailed(ServiceError):
    """A form or command failed validation as a whole; ``problems`` maps field name -> message."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("；".join(self.problems.values()))
