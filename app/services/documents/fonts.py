"""The fonts documents are set in (DESIGN §2.2), registered with reportlab, and per-character fallback.

The body face is AR PL UMing CN (a Ming/Song face, TrueType outlines, so reportlab embeds it; the official
仿宋_GB2312 / 方正小标宋 are licensed and cannot ship).  The fallback face is WenQuanYi Micro Hei, which has
some 2,000 CJK characters UMing lacks.  reportlab does no glyph fallback of its own: ``runs_for`` splits a
string into runs per face, and reports the characters neither face has, so a caller can refuse to print
a name with boxes in it instead of printing one.  A district's licensed TrueType fonts can replace
either face (``document_fonts(body=FontFace(path))``).  Any thread; registration happens once per face.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from app import paths
from app.services.core.errors import ServiceError

__all__ = ["DocumentFonts", "FontFace", "FontFileError", "FontRuns", "Run", "document_fonts", "font_for",
           "heading_font_for",
           "missing_glyphs", "runs_for"]

_NOT_SET = frozenset("\n\r\t")  # layout characters, never drawn
_lock = threading.Lock()
_registered: dict[tuple[str, int], str] = {}


class FontFileError(ServiceError):
    def __init__(self, path: Path, detail: str) -> None:
        self.path, self.detail = path, detail
        super().__init__(f"字体文件 {path} 不能用于生成 PDF：{detail}。请选择 TrueType 字体（.ttf 或 .ttc，"
                         "不能是 OpenType/CFF 轮廓的 .otf，例如思源宋体、Noto CJK）。")


@dataclass(frozen=True)
class FontFace:
    path: Path
    index: int = 0  # which face of a .ttc collection (UMing: 0 = CN, 1 = HK, 2 = TW, 3 = TW MBE)


@dataclass(frozen=True)
class DocumentFonts:
    """Registered reportlab font names: ``body`` for all text, ``fallback`` where ``body`` lacks a glyph."""

    body: str
    fallback: str


@dataclass(frozen=True)
class Run:
    font: str
    text: str


@dataclass(frozen=True)
class FontRuns:
    runs: tuple[Run, ...]
    missing: tuple[str, ...]  # characters neither face has (each once, in order of appearance)


def document_fonts(body: FontFace | None = None, fallback: FontFace | None = None) -> DocumentFonts:
    """Register (once) and name the two faces: the shipped UMing and WenQuanYi unless others are given.
    Raises :class:`FontFileError` for a missing file or outlines reportlab cannot embed."""
    body = body or FontFace(paths.document_font_path())
    fallback = fallback or FontFace(paths.font_path())
    return DocumentFonts(body=_register(body, "DocBody"), fallback=_register(fallback, "DocFallback"))


def missing_glyphs(text: str, font: str) -> list[str]:
    """The characters of ``text`` the registered ``font`` has no glyph for, each once, in order."""
    glyphs = _glyphs(font)
    seen: dict[str, None] = {}
    for char in text:
        if char not in _NOT_SET and ord(char) not in glyphs:
            seen.setdefault(char, None)
    return list(seen)


def runs_for(text: str, fonts: DocumentFonts | None = None) -> FontRuns:
    """``text`` split into runs: the body face wherever it has the glyph, the fallback face per character
    where only it has one.  Characters neither has stay in a body run and are listed in ``missing``."""
    fonts = fonts or document_fonts()
    body, fallback = _glyphs(fonts.body), _glyphs(fonts.fallback)
    runs: list[Run] = []
    missing: dict[str, None] = {}
    for char in text:
        code = ord(char)
        font = fonts.fallback if code not in body and code in fallback else fonts.body
        if char not in _NOT_SET and code not in body and code not in fallback:
            missing.setdefault(char, None)
        if runs and runs[-1].font == font:
            runs[-1] = Run(font, runs[-1].text + char)
        else:
            runs.append(Run(font, char))
    return FontRuns(tuple(runs), tuple(missing))


def font_for(char: str, fonts: DocumentFonts) -> str:
    """The face one character is set in (the body face for a character neither has)."""
    code = ord(char)
    if code in _glyphs(fonts.body) or code not in _glyphs(fonts.fallback):
        return fonts.body
    return fonts.fallback


def heading_font_for(char: str, fonts: DocumentFonts) -> str:
    """The face a heading character is set in: the Hei (fallback) face wherever it has the glyph."""
    return fonts.fallback if ord(char) in _glyphs(fonts.fallback) else fonts.body


def _glyphs(font: str) -> dict[int, int]:
    face = pdfmetrics.getFont(font).face
    glyphs: dict[int, int] = face.charToGlyph
    return glyphs


def _register(face: FontFace, role: str) -> str:
    key = (str(face.path.resolve()), face.index)
    with _lock:
        if key in _registered:
            return _registered[key]
        if not face.path.is_file():
            raise FontFileError(face.path, "找不到该文件")
        name = f"{role}-{face.path.stem}-{face.index}"  # no folder in it: the same bytes wherever installed
        try:
            pdfmetrics.registerFont(TTFont(name, str(face.path), subfontIndex=face.index))
        except (TTFError, OSError, KeyError) as exc:
            raise FontFileError(face.path, str(exc)) from exc
        _registered[key] = name
        return name
