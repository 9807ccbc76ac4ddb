"""文书 operations: one keyword-only function per user action on notices (走访通知, 整改通知书, 提醒函) and
on the documents of any record (preview, print, save as, the month's batch).

Reads and PDF generation run on the parallel lane; 新建, 修改草稿, 删除草稿, 签发, 送达, 签收, 作废 and the series
settings on the serialized write lane.  A successful write is broadcast as
``Change("notice", (id,), origin, action)`` — and as ``Change("rectification", …)`` when it moved a
整改通知书's items (签发, 签收) or took them onto a notice — even if the dialog that asked has been closed
meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from app.domain.enums import NoticeKind, NoticeStatus
from app.services.compliance.dto import FindingRow
from app.services.core.error_text import describe_error
from app.services.notices.candidates import VisitChoice
from app.services.notices.dto import NoticeDetail, NoticeItem, NoticeRow
from app.services.notices.settings import SeriesSettings
from app.services.rectification.dto import OrgChoice
from app.ui.bus import Change
from app.ui.context import UiContext
from app.ui.dialogs.pdf_output import PdfFile
from app.ui.dialogs.pdf_preview import PdfPreviewDialog
from app.ui.operations.writes import submit_write
from app.ui.tasks import Lane, OnError, TaskContext, TaskHandle

NOTICE_ENTITY = "notice"
RECTIFICATION_ENTITY = "rectification"
VISIT_ENTITY = "visit"


# The services are imported when an operation first runs, not when the section is built.
def _notices() -> Any:
    import app.services.notices as notices

    return notices


def _candidates() -> Any:
    from app.services.notices import candidates

    return candidates


@dataclass(frozen=True)
class NoticeFilter:
    """What the 文书 list shows: kind, status, the month issued (year and month, or neither), a search text."""

    kind: NoticeKind | None = None
    status: NoticeStatus | None = None
    year: int | None = None
    month: int | None = None
    search: str = ""


def _read(ctx: UiContext, work: Callable[[], Any], on_done: Callable[[Any], None], on_error: OnError | None,
          owner: QObject | None) -> TaskHandle:
    return ctx.runner.submit(work, lane=Lane.READ, on_done=on_done, on_error=on_error, owner=owner)


# -- reads ---------------------------------------------------------------------------------------
def list_notices(*, ctx: UiContext, flt: NoticeFilter, on_done: Callable[[list[NoticeRow]], None],
                 on_error: OnError | None = None, owner: QObject | None = None) -> TaskHandle:
    factory = ctx.database.session_factory
    return _read(ctx, lambda: _notices().list_notices(factory, kind=flt.kind, status=flt.status, year=flt.year,
                                                      month=flt.month, search=flt.search), on_done, on_error, owner)


def load_notice(*, ctx: UiContext, notice_id: str, on_done: Callable[[NoticeDetail], None],
                on_error: OnError | None = None, owner: QObject | None = None) -> TaskHandle:
    factory = ctx.database.session_factory
    return _read(ctx, lambda: _notices().load_notice(factory, notice_id), on_done, on_error, owner)


def load_org_choices(*, ctx: UiContext, on_done: Callable[[tuple[OrgChoice, ...]], None],
                     on_error: OnError | None = None, owner: QObject | None = None) -> TaskHandle:
    """The live organizations, by name (for 新建整改通知书…)."""
    factory = ctx.database.session_factory

    def work() -> tuple[OrgChoice, ...]:
        from app.services.rectification import org_choices

        return org_choices(factory)

    return _read(ctx, work, on_done, on_error, owner)


def load_free_items(*, ctx: UiContext, org_id: str, on_done: Callable[[tuple[NoticeItem, ...]], None],
                    on_error: OnError | None = None, owner: QObject | None = None) -> TaskHandle:
    """The organization's items that may go on a new 整改通知书."""
    factory = ctx.database.session_factory
    return _read(ctx, lambda: _candidates().free_items_of(factory, org_id), on_done, on_error, owner)


def load_planned_visits(*, ctx: UiContext, on_done: Callable[[tuple[VisitChoice, ...]], None],
                        on_error: OnError | None = None, owner: QObject | None = None) -> TaskHandle:
    factory = ctx.database.session_factory
    return _read(ctx, lambda: _candidates().planned_visits(factory), on_done, on_error, owner)


def load_reminder_findings(*, ctx: UiContext, on_done: Callable[[tuple[FindingRow, ...]], None],
                           on_error: OnError | None = None, owner: QObject | None = None) -> TaskHandle:
    factory = ctx.database.session_factory
    return _read(ctx, lambda: _candidates().reminder_findings(factory), on_done, on_error, owner)


def load_series_settings(*, ctx: UiContext, on_done: Callable[[SeriesSettings], None],
                         on_error: OnError | None = None, owner: QObject | None = None) -> TaskHandle:
    factory = ctx.database.session_factory
    return _read(ctx, lambda: _notices().load_series_settings(factory), on_done, on_error, owner)


# -- writes --------------------------------------------------------------------------------------
def _notice_changes(origin: str, action: str, *, items_moved: bool) -> Callable[[Any], list[Change]]:
    def changes(result: Any) -> list[Change]:
        notice_id = result if isinstance(result, str) else result.id
        found = [Change(NOTICE_ENTITY, (notice_id,), origin, action)]
        if items_moved:
            found.append(Change(RECTIFICATION_ENTITY, (), origin, "update"))
        return found

    return changes


def _write(ctx: UiContext, work: Callable[[], Any], changes: Callable[[Any], list[Change]], owner: QObject | None,
           on_done: Callable[[Any], None], on_error: OnError | None) -> TaskHandle:
    return submit_write(ctx, work, changes, owner, on_done, on_error)


def create_rectification_notice(*, ctx: UiContext, org_id: str, item_ids: Sequence[str], with_receipt: bool = True,
                                on_done: Callable[[str], None], on_error: OnError | None = None, origin: str = "",
                                owner: QObject | None = None) -> TaskHandle:
    """A 整改通知书 (草稿) of one organization listing ``item_ids``; ``on_done(notice_id)``."""
    factory, actor, chosen = ctx.database.session_factory, ctx.actor, tuple(item_ids)
    return _write(ctx, lambda: _notices().create_rectification_notice(factory, org_id=org_id, item_ids=chosen,
                                                                      with_receipt=with_receipt, actor=actor),
                  _notice_changes(origin, "create", items_moved=True), owner, on_done, on_error)


def create_visit_notice(*, ctx: UiContext, visit_id: str, on_done: Callable[[str], None],
                        on_error: OnError | None = None, origin: str = "", owner: QObject | None = None) -> TaskHandle:
    factory, actor = ctx.database.session_factory, ctx.actor

    def changes(notice_id: str) -> list[Change]:
        return [Change(NOTICE_ENTITY, (notice_id,), origin, "create"), Change(VISIT_ENTITY, (visit_id,), origin)]

    return _write(ctx, lambda: _notices().create_visit_notice(factory, visit_id=visit_id, actor=actor), changes,
                  owner, on_done, on_error)


def create_reminder_letter(*, ctx: UiContext, finding: FindingRow, on_done: Callable[[str], None],
                           on_error: OnError | None = None, origin: str = "",
                           owner: QObject | None = None) -> TaskHandle:
    factory, actor = ctx.database.session_factory, ctx.actor
    return _write(ctx, lambda: _notices().create_reminder_letter(factory, finding=finding, actor=actor),
                  _notice_changes(origin, "create", items_moved=False), owner, on_done, on_error)


def edit_notice_draft(*, ctx: UiContext, notice_id: str, title: str, addressee: str, body: str, with_receipt: bool,
                      item_ids: Sequence[str] | None, on_done: Callable[[str], None], on_error: OnError | None = None,
                      origin: str = "", owner: QObject | None = None) -> TaskHandle:
    """修改草稿: title, 主送, body, 回执 / 整改反馈表 and (a 整改通知书) the items listed; ValidationFailed
    names each field (nothing saved)."""
    factory, actor = ctx.database.session_factory, ctx.actor
    chosen = None if item_ids is None else tuple(item_ids)
    return _write(ctx, lambda: _notices().edit_notice_draft(factory, notice_id, title=title, addressee=addressee,
                                                            body=body, with_receipt=with_receipt, item_ids=chosen,
                                                            actor=actor),
                  _notice_changes(origin, "update", items_moved=chosen is not None), owner, on_done, on_error)


def delete_notice_draft(*, ctx: UiContext, notice_id: str, on_done: Callable[[str], None],
                        on_error: OnError | None = None, origin: str = "", owner: QObject | None = None) -> TaskHandle:
    """删除草稿 (a tombstone through the outbox): its items, visit or finding are free for another notice."""
    factory, actor = ctx.database.session_factory, ctx.actor

    def changes(deleted: str) -> list[Change]:
        return [Change(NOTICE_ENTITY, (deleted,), origin, "delete"), Change(RECTIFICATION_ENTITY, (), origin, "update"),
                Change(VISIT_ENTITY, (), origin, "update")]

    return _write(ctx, lambda: _notices().delete_notice_draft(factory, notice_id, actor=actor), changes, owner,
                  on_done, on_error)


def issue_notice(*, ctx: UiContext, notice_id: str, on_date: date | None = None,
                 on_done: Callable[[NoticeRow], None], on_error: OnError | None = None, origin: str = "",
                 owner: QObject | None = None) -> TaskHandle:
    """签发 (today unless ``on_date``): the notice gets its provisional number (临时编号 until the server
    confirms it)."""
    factory, actor = ctx.database.session_factory, ctx.actor
    return _write(ctx, lambda: _notices().issue_notice(factory, notice_id, on_date=on_date, actor=actor),
                  _notice_changes(origin, "issue", items_moved=True), owner, on_done, on_error)


def deliver_notice(*, ctx: UiContext, notice_id: str, on_date: date, on_done: Callable[[NoticeRow], None],
                   on_error: OnError | None = None, origin: str = "", owner: QObject | None = None) -> TaskHandle:
    factory, actor = ctx.database.session_factory, ctx.actor
    return _write(ctx, lambda: _notices().deliver_notice(factory, notice_id, on_date=on_date, actor=actor),
                  _notice_changes(origin, "deliver", items_moved=False), owner, on_done, on_error)


def sign_notice(*, ctx: UiContext, notice_id: str, on_date: date, signed_by: str,
                on_done: Callable[[NoticeRow], None], on_error: OnError | None = None, origin: str = "",
                owner: QObject | None = None) -> TaskHandle:
    factory, actor = ctx.database.session_factory, ctx.actor
    return _write(ctx, lambda: _notices().sign_notice(factory, notice_id, on_date=on_date, signed_by=signed_by,
                                                      actor=actor),
                  _notice_changes(origin, "sign", items_moved=True), owner, on_done, on_error)


def void_notice(*, ctx: UiContext, notice_id: str, reason: str, on_done: Callable[[NoticeRow], None],
                on_error: OnError | None = None, origin: str = "", owner: QObject | None = None) -> TaskHandle:
    """作废 with a reason (required: ValidationFailed without one); the number is never reused."""
    factory, actor = ctx.database.session_factory, ctx.actor
    return _write(ctx, lambda: _notices().void_notice(factory, notice_id, reason=reason, actor=actor),
                  _notice_changes(origin, "void", items_moved=True), owner, on_done, on_error)


def save_series_settings(*, ctx: UiContext, settings: SeriesSettings, on_done: Callable[[SeriesSettings], None],
                         on_error: OnError | None = None, origin: str = "",
                         owner: QObject | None = None) -> TaskHandle:
    factory = ctx.database.session_factory
    return _write(ctx, lambda: _notices().save_series_settings(factory, settings),
                  lambda _s: [Change("notice_series", (), origin)], owner, on_done, on_error)


# -- documents: preview, print, save as, the month's batch ---------------------------------------------
NOTICE_RECORD_KINDS = {NoticeKind.RECTIFICATION_NOTICE: "rectification", NoticeKind.VISIT_NOTICE: "visit",
                       NoticeKind.REMINDER_LETTER: "reminder"}
_UNSAFE_IN_FILE_NAMES = str.maketrans({ch: "_" for ch in '\\/:*?"<>|'})


def record_kind(kind: NoticeKind) -> str:
    """The ``render_record`` kind of a notice kind."""
    return NOTICE_RECORD_KINDS[kind]


def file_name_for(title: str, limit: int = 80) -> str:
    """A file name proposed for 另存为 (characters no file system takes replaced), at most ``limit``
    characters before .pdf: a long title is cut in the middle, so its last word (the 文号) stays whole."""
    name = " ".join(title.split()).translate(_UNSAFE_IN_FILE_NAMES) or "文书"
    if len(name) > limit:
        head, _, tail = name.rpartition(" ")
        name = f"{head[:limit - len(tail) - 2]}… {tail}" if head and len(tail) <= limit // 2 else name[:limit]
    return name + ".pdf"


def render_record(*, ctx: UiContext, kind: str, record_id: str, on_done: Callable[[Any], None],
                  on_error: OnError | None = None, parent: QWidget | None = None) -> TaskHandle:
    """The record's document (personal data masked) on the parallel lane, progress after 0.5 s."""
    notices = _notices()
    if kind not in notices.RECORD_KINDS:
        raise ValueError(f"unknown document kind {kind!r}")
    factory = ctx.database.session_factory
    return ctx.runner.submit(lambda _task: notices.render_record(factory, kind=kind, record_id=record_id, masked=True),
                             lane=Lane.READ, on_done=on_done, on_error=on_error, owner=parent,
                             progress=f"正在生成{notices.KIND_LABELS[kind]}…", parent=parent)


def record_print(*, ctx: UiContext, notice_id: str, pdf: PdfFile, origin: str = "") -> TaskHandle:
    """A notice printed or saved: its PDF's SHA-256 is kept (a reprint is provably the same document)."""
    factory, actor = ctx.database.session_factory, ctx.actor
    return submit_write(ctx, lambda: _notices().record_print(factory, notice_id, pdf, masked=True, actor=actor),
                        lambda _r: [Change(NOTICE_ENTITY, (notice_id,), origin, "print")], None, lambda _r: None,
                        None)


def preview_record(*, ctx: UiContext, parent: QWidget | None, kind: str, record_id: str, title: str = "",
                   on_opened: Callable[[PdfPreviewDialog], None] | None = None) -> TaskHandle:
    """Generate the record's document off the UI thread, then open its preview (打印 Ctrl+P, 另存为 Ctrl+S).
    A notice printed or saved from there is recorded (``record_print``).  A refusal (e.g. a document that
    cannot be set) is shown as a message with what to fix."""
    caption = title or _notices().KIND_LABELS.get(kind, "文书")

    def opened(rendered: Any) -> None:
        pdf = PdfFile(rendered.data, rendered.sha256, rendered.pages)
        on_output = None
        if kind in NOTICE_RECORD_KINDS.values():
            def on_output(_how: str, _where: str) -> None:
                record_print(ctx=ctx, notice_id=record_id, pdf=pdf)
        dialog = PdfPreviewDialog(ctx.runner, pdf, title=caption, file_name=file_name_for(caption),
                                  on_output=on_output, parent=parent)
        dialog.open()
        if on_opened is not None:
            on_opened(dialog)

    def failed(exc: BaseException) -> None:
        from app.services.notices.settings import InstructorNotSet

        if isinstance(exc, InstructorNotSet):  # say it, and offer the one place where it is filled in
            answer = QMessageBox.question(parent, "无法生成文书", f"{describe_error(exc)}\n\n现在打开文书设置填写吗？")
            if answer == QMessageBox.StandardButton.Yes:
                from app.ui.dialogs.series_dialog import SeriesSettingsDialog

                dialog = SeriesSettingsDialog(ctx, origin="preview", focus_instructor=True, parent=parent)
                dialog.open()
            return
        QMessageBox.warning(parent, "无法生成文书", describe_error(exc))

    return render_record(ctx=ctx, kind=kind, record_id=record_id, on_done=opened, on_error=failed, parent=parent)


def render_month_batch(*, ctx: UiContext, year: int, month: int, on_done: Callable[[Any], None],
                       on_cancelled: Callable[[Any], None], on_error: OnError | None = None,
                       parent: QWidget | None = None) -> TaskHandle:
    """All notices issued in the month in one PDF, on the parallel lane with progress after 0.5 s and a cancel
    that stops between notices; ``on_cancelled(result)`` says what was made (nothing is saved then)."""
    factory = ctx.database.session_factory
    made: list[Any] = []

    def work(task: TaskContext) -> Any:
        notices = _notices()

        def progress(stage: str, done: int, total: int) -> None:  # one scale over the stages: never backwards
            value, words = notices.batch_progress(stage, done, total)
            task.report(value, notices.BATCH_SCALE, words)

        result = notices.render_month_batch(factory, year=year, month=month, progress=progress,
                                               is_cancelled=lambda: task.cancelled)
        made.append(result)
        return result

    handle = ctx.runner.submit(work, lane=Lane.READ, on_done=on_done, on_error=on_error, owner=parent,
                               progress=f"正在生成 {year} 年 {month} 月的通知…", parent=parent)
    handle.on_cancelled = lambda: on_cancelled(made[0] if made else None)
    return handle


def preview_batch(*, ctx: UiContext, parent: QWidget | None, result: Any) -> PdfPreviewDialog:
    """The batch's PDF in the preview; printing or saving it records, for every notice in it, the batch
    PDF's SHA-256 (printing the same month again gives the same file)."""
    combined = result.pdf
    pdf = PdfFile(combined.data, combined.sha256, combined.pages)
    notice_ids = tuple(result.notice_ids)

    def on_output(_how: str, _where: str) -> None:
        for notice_id in notice_ids:
            record_print(ctx=ctx, notice_id=notice_id, pdf=pdf)

    title = f"{result.year}年{result.month}月通知合集"
    dialog = PdfPreviewDialog(ctx.runner, pdf, title=title, file_name=file_name_for(title), on_output=on_output,
                              parent=parent)
    dialog.open()
    return dialog
