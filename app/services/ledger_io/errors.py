"""What can go wrong with a 台账 file, said in Chinese (the CLI prints it as one line, the GUI shows it)."""

from __future__ import annotations

from collections.abc import Callable

from app.services.core.errors import ServiceError

PASSWORD_PROTECTED = "文件有密码保护，请在 Excel 中取消密码后再导入"

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: called as the work moves (total 0: unknown)."""
Cancelled = Callable[[], bool]
"""``cancelled()``: True once the user asked to stop; checked between rows and batches."""


class LedgerFileError(ServiceError):
    """The file cannot be read as a 台账 (not a spreadsheet, empty, no header, password …)."""


class ImportCancelled(ServiceError):
    """The user cancelled an import: nothing was written (the transaction was rolled back)."""

    message = "已取消导入：数据库没有任何改动。"

    def __init__(self) -> None:
        super().__init__(self.message)


class ExportCancelled(ImportCancelled):
    """The user cancelled an export: no file was written."""

    message = "已取消导出：没有写入文件。"


class StalePlanError(ServiceError):
    """The ledger changed between the preview and the import: preview again."""

    def __init__(self) -> None:
        super().__init__("预览之后台账有了改动（其他窗口保存或同步），请重新预览后再导入。")


class Steps:
    """Passes progress on whenever a stage's whole percent moves, and stops the work on cancel."""

    def __init__(self, progress: Progress | None, cancelled: Cancelled | None,
                 stop: type[ImportCancelled] = ImportCancelled) -> None:
        self._progress, self._cancelled, self._stop = progress, cancelled, stop
        self._last: tuple[str, int] = ("", -1)

    def check(self) -> None:
        if self._cancelled is not None and self._cancelled():
            raise self._stop

    def step(self, stage: str, done: int, total: int) -> None:
        """Report ``done`` of ``total`` (cheap to call for every row) and raise ImportCancelled on cancel."""
        mark = (stage, done * 100 // total if total else done // 1000)
        if mark == self._last:
            return
        self._last = mark
        self.check()
        if self._progress is not None:
            self._progress(stage, done, total)
