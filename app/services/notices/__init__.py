"""文书 records: numbering (GB/T 9704), notices and their lifecycle, documents assembled from the records and
printed (issue 8).  Other areas, the CLI and the UI use it only through the public names below.

The names load on first use (PEP 562): importing the area costs nothing, and reportlab is loaded only by
what renders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.services.core.lazy import lazy_exports

if TYPE_CHECKING:
    from app.services.notices.batch import BATCH_SCALE as BATCH_SCALE
    from app.services.notices.batch import BatchResult as BatchResult
    from app.services.notices.batch import batch_progress as batch_progress
    from app.services.notices.batch import render_month_batch as render_month_batch
    from app.services.notices.create import create_rectification_notice as create_rectification_notice
    from app.services.notices.create import create_reminder_letter as create_reminder_letter
    from app.services.notices.create import create_visit_notice as create_visit_notice
    from app.services.notices.create import delete_notice_draft as delete_notice_draft
    from app.services.notices.create import edit_notice_draft as edit_notice_draft
    from app.services.notices.dto import NoticeDetail as NoticeDetail
    from app.services.notices.dto import NoticeItem as NoticeItem
    from app.services.notices.dto import NoticePrintRow as NoticePrintRow
    from app.services.notices.dto import NoticeRow as NoticeRow
    from app.services.notices.lifecycle import NoticeStateError as NoticeStateError
    from app.services.notices.lifecycle import deliver_notice as deliver_notice
    from app.services.notices.lifecycle import issue_notice as issue_notice
    from app.services.notices.lifecycle import sign_notice as sign_notice
    from app.services.notices.lifecycle import void_notice as void_notice
    from app.services.notices.listing import list_notices as list_notices
    from app.services.notices.listing import load_notice as load_notice
    from app.services.notices.numbering import NumberClash as NumberClash
    from app.services.notices.numbering import confirm_number as confirm_number
    from app.services.notices.render import KIND_LABELS as KIND_LABELS
    from app.services.notices.render import RECORD_KINDS as RECORD_KINDS
    from app.services.notices.render import latest_record_id as latest_record_id
    from app.services.notices.render import record_print as record_print
    from app.services.notices.render import render_record as render_record
    from app.services.notices.settings import SeriesSettings as SeriesSettings
    from app.services.notices.settings import load_series_settings as load_series_settings
    from app.services.notices.settings import save_series_settings as save_series_settings

_P = "app.services.notices."
_PUBLIC = {
    "BatchResult": _P + "batch", "render_month_batch": _P + "batch", "BATCH_SCALE": _P + "batch",
    "batch_progress": _P + "batch",
    **{name: _P + "render" for name in ("KIND_LABELS", "RECORD_KINDS", "latest_record_id", "record_print",
                                        "render_record")},
    **{name: _P + "create" for name in ("create_rectification_notice", "create_reminder_letter",
                                        "create_visit_notice", "delete_notice_draft", "edit_notice_draft")},
    **{name: _P + "dto" for name in ("NoticeDetail", "NoticeItem", "NoticePrintRow", "NoticeRow")},
    **{name: _P + "lifecycle" for name in ("NoticeStateError", "deliver_notice", "issue_notice", "sign_notice",
                                           "void_notice")},
    "list_notices": _P + "listing", "load_notice": _P + "listing",
    "NumberClash": _P + "numbering", "confirm_number": _P + "numbering",
    **{name: _P + "settings" for name in ("SeriesSettings", "load_series_settings", "save_series_settings")},
}
__all__ = sorted(_PUBLIC)

__getattr__ = lazy_exports(__name__, _PUBLIC)
