"""Errors the services raise; each carries a Chinese message that says what to do."""

from __future__ import annotations

from pathlib import Path


class ServiceError(Exception):
    """Base class: ``str(error)`` is a complete Chinese sentence for the user."""


class CorruptDatabaseError(ServiceError):
    def __init__(self, path: Path, backup: Path | None, detail: str) -> None:
        self.path, self.backup, self.detail = path, backup, detail
        hint = (f"最近的备份：{backup}（恢复：python -m app restore \"{backup}\"，当前文件会被保留在旁边）"
                if backup else "没有找到备份；可运行 python -m app salvage --out 新文件.sqlite3 导出能读出的数据")
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


class UnknownCodeError(ServiceError):
    """A stored row holds a code this version does not know (sent by a newer server): it can be listed, but
    not opened or edited until the app is upgraded (editing would lose the code)."""

    def __init__(self, what: str, code: str) -> None:
        self.code = code
        super().__init__(f"{what}含有本版本软件不认识的代码“{code}”（可能来自更新版本的服务器）。"
                         "为避免丢失这项信息，暂不能打开或修改它；请升级软件。组织台账中仍可查看。")


class StaleEditError(ServiceError):
    """The record changed after the form was opened; saving would silently undo that change."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"“{name}”在您打开表单后已被修改（可能在另一个窗口中保存过）。为避免覆盖那次修改，本次没有保存。"
            "您填写的内容仍在表单中：请记下需要的修改，关闭后重新打开再编辑。"
        )


class ValidationFailed(ServiceError):
    """A form or command failed validation as a whole; ``problems`` maps field name -> message."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("；".join(self.problems.values()))
