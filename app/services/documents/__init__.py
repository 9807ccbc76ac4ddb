"""文书 area: PDF documents (提醒函 now; 走访通知, 整改通知书, 走访记录表, 会议记录 and 签到表 to follow) on the
GB/T 9704-2012 grid, with embedded TrueType fonts (DESIGN §2.2).  Other areas use it only through the
public names below.

The names load on first use (PEP 562): importing the area (its package) costs nothing, and reportlab
has no place in painting the ledger.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.services.core.lazy import lazy_exports

if TYPE_CHECKING:
    from app.services.documents.fonts import FontFileError as FontFileError
    from app.services.documents.fonts import document_fonts as document_fonts
    from app.services.documents.fonts import missing_glyphs as missing_glyphs
    from app.services.documents.fonts import runs_for as runs_for
    from app.services.documents.reminder_letter import DocumentInputError as DocumentInputError
    from app.services.documents.reminder_letter import ReminderLetter as ReminderLetter
    from app.services.documents.reminder_letter import render_reminder_letter as render_reminder_letter
    from app.services.documents.typeset import MissingGlyphsError as MissingGlyphsError
    from app.services.documents.typeset import RenderedPdf as RenderedPdf

_FONTS, _LETTER, _TYPESET = ("app.services.documents.fonts", "app.services.documents.reminder_letter",
                             "app.services.documents.typeset")
_PUBLIC = {"FontFileError": _FONTS, "document_fonts": _FONTS, "missing_glyphs": _FONTS, "runs_for": _FONTS,
           "DocumentInputError": _LETTER, "ReminderLetter": _LETTER, "render_reminder_letter": _LETTER,
           "MissingGlyphsError": _TYPESET, "RenderedPdf": _TYPESET}
__all__ = sorted(_PUBLIC)

__getattr__ = lazy_exports(__name__, _PUBLIC)
