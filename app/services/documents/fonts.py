"""The fonts documents are set in (DESIGN §2.2), registered with reportlab, and per-character fallback.

The body face is AR PL UMing CN (a Ming/Song face, TrueType outlines, so reportlab embeds it; the official
仿宋_GB2312 / 方正小标宋 are licensed and cannot ship).  The fallback face is WenQuanYi Micro Hei, which has
some 2,000 CJK characters UMing lacks (and is the Hei face of headings).  The extension face, Hanazono
Mincho B, has the CJK Extension B–F characters neither has (𠮷 in a name); it is registered only when a
text needs it (parsing it costs a fraction of a second).  reportlab does no glyph fallback of its own:
``runs_for`` splits a string into runs per face, and reports the characters no face has, so a caller
can refuse to print a name with boxes in it instead of printing one.  A district's licensed TrueType fonts can replace
either face (``document_fonts(body=FontFace(path))``).  Any thread; registration happens once per face.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from app import paths
from app.services.core.errors import ServiceError

__all__ = [
    "DocumentFonts",
    "FaceTable",
    "FontFace",
    "FontFileError",
    "FontRuns",
    "Run",
    "document_fonts",
    "extension_font",
    "face_for",
    "face_table",
    "font_for",
    "heading_font_for",
    "missing_glyphs",
    "runs_for",
]

_NOT_SET = frozenset("\n\r\t")  # layout characters, never drawn
EXTENSION_FROM = 0x20000  # the extension face serves the supplementary ideographic planes only
_lock = threading.Lock()
_registered: dict[tuple[str, int], str] = {}
_faces_known: dict[tuple[str, str, str], FaceTable] = {}


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
    """Registered reportlab font names: ``body`` for all text, ``fallback`` where ``body`` lacks a glyph;
    ``extension`` (registered on first need, see :func:`extension_font`) where both lack it."""

    body: str
    fallback: str
    extension: FontFace | None = None


@dataclass(frozen=True)
class Run:
    font: str
    text: str


@dataclass(frozen=True)
class FontRuns:
    runs: tuple[Run, ...]
    missing: tuple[str, ...]  # characters neither face has (each once, in order of appearance)


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, with characters beyond the BMP written as UTF-16 (a surrogate pair, as
    the PDF reference requires): reportlab 4 writes 𠮷 as <20BB7>, an odd-length string readers reject, so
    the character could not be searched or copied from the PDF."""
    cmap: str = _reportlab_to_unicode_cmap(fontname, subset)
    for value in subset:
        if value > 0xFFFF:
            pair = chr(value).encode("utf-16-be").hex().upper()
            cmap = cmap.replace(f"> <{value:04X}>\n", f"> <{pair}>\n")
    return cmap


_reportlab_to_unicode_cmap = ttfonts.makeToUnicodeCMap
ttfonts.makeToUnicodeCMap = _to_unicode_cmap


def document_fonts(body: FontFace | None = None, fallback: FontFace | None = None,
                   extension: FontFace | None = None) -> DocumentFonts:
    """Register (once) and name the faces: the shipped UMing and WenQuanYi unless others are given, and the
    extension face (the shipped Hanazono Mincho B unless another is given) for later registration.
    Raises :class:`FontFileError` for a missing file or outlines reportlab cannot embed."""
    body = body or FontFace(paths.document_font_path())
    fallback = fallback or FontFace(paths.font_path())
    extension = extension or FontFace(paths.extension_font_path())
    return DocumentFonts(body=_register(body, "DocBody"), fallback=_register(fallback, "DocFallback"),
                         extension=extension if extension.path.is_file() else None)


def extension_font(fonts: DocumentFonts) -> str | None:
    """The registered name of the extension face (registering it the first time), or None without one."""
    return None if fonts.extension is None else _register(fonts.extension, "DocExtension")


def missing_glyphs(text: str, font: str) -> list[str]:
    """The characters of ``text`` the registered ``font`` has no glyph for, each once, in order."""
    glyphs = _glyphs(font)
    seen: dict[str, None] = {}
    for char in text:
        if char not in _NOT_SET and ord(char) not in glyphs:
            seen.setdefault(char, None)
    return list(seen)


def runs_for(text: str, fonts: DocumentFonts | None = None) -> FontRuns:
    """``text`` split into runs: the body face wherever it has the glyph, else the fallback face, else the
    extension face, per character.  Characters no face has stay in a body run and are listed in
    ``missing``."""
    fonts = fonts or document_fonts()
    runs: list[Run] = []
    missing: dict[str, None] = {}
    for char in text:
        font = face_for(char, fonts)
        if font is None:
            font = fonts.body
            if char not in _NOT_SET:
                missing.setdefault(char, None)
        if runs and runs[-1].font == font:
            runs[-1] = Run(font, runs[-1].text + char)
        else:
            runs.append(Run(font, char))
    return FontRuns(tuple(runs), tuple(missing))


def font_for(char: str, fonts: DocumentFonts) -> str:
    """The face one character is set in (the body face for a character no face has)."""
    return face_for(char, fonts) or fonts.body


def face_for(char: str, fonts: DocumentFonts) -> str | None:
    """The first face with a glyph for ``char`` (None when no face has it)."""
    return face_table(fonts)[char]


class FaceTable(dict[str, str | None]):
    """Character → first face with its glyph, filled on first look-up: a document asks for the same
    characters over and over, and a dict look-up is what makes per-character fallback cheap."""

    def __init__(self, fonts: DocumentFonts) -> None:
        super().__init__()
        self.fonts = fonts

    def __missing__(self, char: str) -> str | None:
        face = self[char] = _first_face(char, self.fonts)
        return face


def face_table(fonts: DocumentFonts) -> FaceTable:
    extension = str(fonts.extension.path) if fonts.extension is not None else ""
    key = (fonts.body, fonts.fallback, extension)
    table = _faces_known.get(key)
    if table is None:
        table = _faces_known.setdefault(key, FaceTable(fonts))
    return table


def _first_face(char: str, fonts: DocumentFonts) -> str | None:
    code = ord(char)
    if code in _glyphs(fonts.body):
        return fonts.body
    if code in _glyphs(fonts.fallback):
        return fonts.fallback
    if code >= EXTENSION_FROM and (extension := extension_font(fonts)) and code in _glyphs(extension):
        return extension
    return None


def heading_font_for(char: str, fonts: DocumentFonts) -> str:
    """The face a heading character is set in: the Hei (fallback) face wherever it has the glyph."""
    return fonts.fallback if ord(char) in _glyphs(fonts.fallback) else font_for(char, fonts)


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
