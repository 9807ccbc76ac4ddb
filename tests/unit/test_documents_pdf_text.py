"""The page text written straight into reportlab's text object (pdf_text.py) is operator for operator what
reportlab's own setFont/setCharSpace/setTextOrigin/textOut write — so a reportlab upgrade that changes
them shows here, not as a silently different PDF — and rule pieces join into the same lines."""

from __future__ import annotations

import io

from reportlab.lib.colors import black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.services.documents import layout as L
from app.services.documents.bands import RuleOp, TextOp
from app.services.documents.drawing import _joined, _piece
from app.services.documents.fonts import document_fonts
from app.services.documents.pdf_text import RED, DocumentText, PageText

PITCH = L.CHAR_PITCH_MM


def _ops() -> list[TextOp]:
    def op(text: str, *, size: float = L.BODY_PT, heading: bool = False, red: bool = False,
           x: float = 28.0, spread: float = 0.0) -> TextOp:
        steps = tuple(L.cells(ch) * PITCH * size / L.BODY_PT + spread for ch in text)
        return TextOp(x, 5.0, text, size, steps, heading=heading, red=red)

    return [
        op("温泉街道社会组织综合党委文件", size=22.0, red=True),
        op("关于整改的通知（2026）第7号", heading=True),
        op("王叕同志：请于2026年12月31日前整改。", spread=0.4),  # 叕: only the fallback face has it
        op("abc 123 — 温泉", size=12.0, x=40.0),
        op("王叕同志：请于2026年12月31日前整改。", spread=0.4),  # the same run again: its codes reused
        op("（续）", size=12.0, heading=True),
    ]


def _reportlab_code(ops: list[TextOp], document: DocumentText, canvas: Canvas) -> str:
    """The page's text the way reportlab's text object writes it, from the same runs."""
    text = canvas.beginText()
    state: tuple[str, float, float] | None = None
    red = False
    for op in ops:
        if op.red != red:
            red = op.red
            text.setFillColor(RED if op.red else black)
        text.setTextOrigin(op.x * mm, 100.0)
        for font, space, chunk in document.chunks(op):
            if state is None or state[:2] != (font, op.size_pt):
                text.setFont(font, op.size_pt)
            if state is None or state[2] != space:
                text.setCharSpace(space)
            state = (font, op.size_pt, space)
            text.textOut(chunk)
    return str(text.getCode())


def test_page_text_writes_reportlabs_own_operators() -> None:
    fonts = document_fonts()
    ours_canvas = Canvas(io.BytesIO(), pagesize=A4, initialFontName=fonts.body)
    theirs_canvas = Canvas(io.BytesIO(), pagesize=A4, initialFontName=fonts.body)
    page = PageText(DocumentText(ours_canvas, fonts))
    for op in _ops():
        page.draw(op, 100.0)
    ours = str(page.text.getCode())
    theirs = _reportlab_code(_ops(), DocumentText(theirs_canvas, fonts), theirs_canvas)
    assert ours == theirs
    assert " Tc " in ours and "rg" in ours and "DocFallback" not in ours  # internal names, not font names
    assert ours.count(" Tf ") >= 4  # the fallback face, the Hei heading face, the sizes: switched where they change


def test_touching_rule_pieces_join_and_others_stay_apart() -> None:
    rules = [RuleOp(30.0, 0.0, 30.0, 5.0), RuleOp(30.0, 0.0, 30.0, 4.0, width_pt=0.9), RuleOp(60.0, 0.0, 60.0, 5.0)]
    pieces = [_piece(rule, top, len(rules) * n + i) for n, top in enumerate((0.0, 5.0, 20.0))
              for i, rule in enumerate(rules)]
    joined = _joined(pieces)
    assert (30.0, 0.0, 30.0, 10.0, 0.5, False, False) in joined  # 0–5 and 5–10 touch; 20–25 does not
    assert (30.0, 20.0, 30.0, 25.0, 0.5, False, False) in joined
    assert (30.0, 0.0, 30.0, 4.0, 0.9, False, False) in joined  # another pen: never joined with the thin rule
    assert (60.0, 0.0, 60.0, 10.0, 0.5, False, False) in joined
    assert (30.0, 5.0, 30.0, 9.0, 0.9, False, False) in joined  # 0–4 and 5–9: a gap, two rules
    assert len(joined) == 7
