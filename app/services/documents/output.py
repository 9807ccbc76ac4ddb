"""Rendered PDFs leaving the area: written to a file atomically, or several joined into one (a month's
batch).  No Qt; any thread."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Sequence
from pathlib import Path

from pypdf import PdfWriter

from app.services.documents.typeset import RenderedPdf

__all__ = ["combine_pdfs", "write_pdf"]


def write_pdf(rendered: RenderedPdf, out: Path) -> None:
    """Write the bytes beside ``out`` and move them into place, so a reader never sees half a file."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.write_bytes(rendered.data)
    os.replace(partial, out)


def combine_pdfs(pdfs: Sequence[RenderedPdf], *, title: str = "文书合集") -> RenderedPdf:
    """The documents one after another in one PDF (each keeps its own page numbers and its embedded font
    subsets); byte-identical for identical input.  An empty sequence is a ValueError."""
    if not pdfs:
        raise ValueError("没有可合并的文书。")
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(io.BytesIO(pdf.data))
    writer.add_metadata({"/Title": title, "/Creator": "党建指导员工作台", "/Producer": "党建指导员工作台"})
    buffer = io.BytesIO()
    writer.write(buffer)
    data = buffer.getvalue()
    return RenderedPdf(data=data, sha256=hashlib.sha256(data).hexdigest(), pages=len(writer.pages))
