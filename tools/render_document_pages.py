"""Render every document from the test samples (``tests/document_samples.py``) and save its pages as PNGs in
``docs/documents/`` for the README, as they look on a machine with no CJK font installed.

Run after changing a document's layout: ``python tools/render_document_pages.py [--dpi 50] [--out DIR]``.
Needs ``pdftoppm`` (poppler-utils).  poppler runs with an empty font configuration, so only the fonts the
PDFs embed can show: a character missing from them would show as a box here, as on the user's machine.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.services.documents import (  # noqa: E402 - after the path is set
    render_meeting_record,
    render_rectification_notice,
    render_reminder_letter,
    render_visit_notice,
    render_visit_record,
)
from tests import document_samples as S  # noqa: E402

# name: (renderer, content, the pages to keep — all when empty)
DOCUMENTS = {
    "rectification-notice": (render_rectification_notice, S.NOTICE_MASTHEAD, ()),
    "visit-notice": (render_visit_notice, S.VISIT_NOTICE, ()),
    "visit-record": (render_visit_record, S.VISIT_RECORD, ()),
    "meeting-record": (render_meeting_record, S.MEETING, ()),
    "reminder-letter": (render_reminder_letter, S.LETTER, ()),
    # a 100-character name and a provisional number; a table's repeated header, a split row's （续）
    "long-name-notice": (render_rectification_notice, S.NOTICE_LONG, (2,)),
    "long-meeting-record": (render_meeting_record, S.MEETING_LONG, (2, 5)),
}
NO_FONTS = """<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{empty}</dir><cachedir>{cache}</cachedir></fontconfig>"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dpi", type=int, default=50)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "documents")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        conf = Path(work) / "fonts.conf"
        (Path(work) / "empty").mkdir()
        conf.write_text(NO_FONTS.format(empty=Path(work) / "empty", cache=Path(work) / "cache"), encoding="utf-8")
        env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
        for old in args.out.glob("*.png"):
            old.unlink()
        for name, (render, doc, pages) in DOCUMENTS.items():
            pdf = Path(work) / f"{name}.pdf"
            rendered = render(doc)  # type: ignore[operator]
            pdf.write_bytes(rendered.data)
            for page in pages or range(1, rendered.pages + 1):
                subprocess.run(["pdftoppm", "-r", str(args.dpi), "-png", "-f", str(page), "-l", str(page),
                                "-singlefile", str(pdf), str(args.out / f"{name}-{page}")], env=env, check=True)
            print(name, len(pages or range(rendered.pages)), "of", rendered.pages, "pages")


if __name__ == "__main__":
    main()
