"""A page's text written straight into a reportlab text object, operator for operator what the object's
own ``setFont``/``setCharSpace``/``setTextOrigin``/``textOut`` would write (the same bytes), without
their per-call costs: numbers are formatted once per value, a run's subset codes and escaped string
are made once per document, and the cursor advance (a width measure of every run we never read, since
each line sets its own origin) is not computed.  Used by ``drawing.py``; no Qt; one per page.

Every character ends in its cell: runs of characters in the same face with the same extra spacing are
set with one text operator.
"""

from __future__ import annotations

import functools

from reportlab.lib.colors import Color, black
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.services.documents.bands import TextOp
from app.services.documents.fonts import DocumentFonts, face_table, heading_font_for

__all__ = ["DocumentText", "PageText", "number"]

RED = Color(0.85, 0.0, 0.0)  # 版头 and its rule (GB/T 9704 §7.2.1: red)


@functools.lru_cache(maxsize=1 << 16)
def number(value: float) -> str:
    """``value`` as reportlab writes a number into a PDF (``fp_str``), formatted once per value."""
    text: str = fp_str(value)
    return text


class DocumentText:
    """What the text of one PDF has in common from page to page: each character's face and extra
    spacing per cell width, and each run's operators per subset (the subset codes are the document's)."""

    def __init__(self, canvas: Canvas, fonts: DocumentFonts) -> None:
        self.canvas, self.fonts = canvas, fonts
        self.faces = face_table(fonts)
        # (size, heading) → (character, cell width in mm) → (face, extra spacing in pt)
        self.cells: dict[tuple[float, bool], dict[tuple[str, float], tuple[str, float]]] = {}
        self.ops: dict[int, tuple[TextOp, list[tuple[str, float, str]]]] = {}
        self.runs: dict[tuple[str, str], list[tuple[int, str]]] = {}
        self.subset_names: dict[tuple[str, int], str] = {}

    def chunks(self, op: TextOp) -> list[tuple[str, float, str]]:
        """(face, extra spacing in pt, characters) per run of characters with the same face and spacing;
        worked out once per op (a shared band — a table's header set again on each page, a line laid out
        once for a whole batch — is drawn many times)."""
        known = self.ops.get(id(op))
        if known is not None and known[0] is op:
            return known[1]
        chunks = self._chunks(op)
        self.ops[id(op)] = (op, chunks)  # the op is kept with them: its id is not reused while the document lives
        return chunks

    def _chunks(self, op: TextOp) -> list[tuple[str, float, str]]:
        size, heading = op.size_pt, op.heading
        cells = self.cells.get((size, heading))
        if cells is None:
            cells = self.cells[(size, heading)] = {}
        looked = [cells.get(key) or self._cell(cells, key, size, heading)
                  for key in zip(op.text, op.steps, strict=True)]
        text = op.text
        if looked and looked.count(looked[0]) == len(looked):  # one face and one spacing throughout (most lines)
            return [(*looked[0], text)]
        chunks: list[tuple[str, float, str]] = []
        start = 0
        for end in range(1, len(looked) + 1):
            if end == len(looked) or looked[end] != looked[start]:
                chunks.append((*looked[start], text[start:end]))
                start = end
        return chunks

    def _cell(self, cells: dict[tuple[str, float], tuple[str, float]], key: tuple[str, float], size: float,
              heading: bool) -> tuple[str, float]:
        char, step = key
        font = heading_font_for(char, self.fonts) if heading else (self.faces[char] or self.fonts.body)
        cell = cells[key] = font, round(step * mm - _width(char, font, size), 3)
        return cell

    def shown(self, font: str, run: str) -> list[tuple[int, str]]:
        """(subset, ``(…) Tj``) per subset piece of ``run`` in ``font`` (``textOut``'s operators)."""
        key = (font, run)
        pieces = self.runs.get(key)
        if pieces is None:
            escape = self.canvas._escape
            split = getFont(font).splitString(run, self.canvas._doc)
            pieces = self.runs[key] = [(subset, f"({escape(piece)}) Tj") for subset, piece in split]
        return pieces

    def subset_name(self, font: str, subset: int) -> str:
        name = self.subset_names.get((font, subset))
        if name is None:
            name = self.subset_names[(font, subset)] = getFont(font).getSubsetInternalName(subset, self.canvas._doc)
        return name


class PageText:
    """All the text of a page in one text object, setting the face, size, spacing and colour only where
    they change (fewer operators than a text object per line)."""

    def __init__(self, document: DocumentText) -> None:
        self.document = document
        self.text = document.canvas.beginText()
        self.code: list[str] = self.text._code
        self.state: tuple[str, float, float] | None = None
        self.subset = -1  # as the text object's: no subset chosen since the last face change
        self.red = False

    def draw(self, op: TextOp, y: float) -> None:
        """``op`` with its baseline at ``y`` pt from the bottom of the page."""
        if op.red != self.red:
            self.red = op.red
            self.text.setFillColor(RED if op.red else black)
        code, size = self.code, op.size_pt
        code.append(f"1 0 0 1 {number(op.x * mm)} {number(y)} Tm")
        for font, space, chunk in self.document.chunks(op):
            state = self.state
            if state is None or state[0] != font or state[1] != size:
                self.subset = -1  # setFont on a TrueType face writes nothing; the next run does
            if state is None or state[2] != space:
                code.append(f"{number(space)} Tc")
            self.state = (font, size, space)
            code.append(self._run(font, size, chunk))

    def _run(self, font: str, size: float, chunk: str) -> str:
        out: list[str] = []
        for subset, shown in self.document.shown(font, chunk):
            if subset != self.subset:
                out.append(f"{self.document.subset_name(font, subset)} {number(size)} Tf {number(size * 1.2)} TL")
                self.subset = subset
            out.append(shown)
        return " ".join(out)


@functools.lru_cache(maxsize=1 << 16)
def _width(char: str, font: str, size: float) -> float:
    return float(stringWidth(char, font, size))
