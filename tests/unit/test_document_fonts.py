"""The shipped document fonts (DESIGN §2.2): embeddable, and per-character fallback that never boxes."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import paths
from app.services.documents.fonts import (
    FontFace,
    FontFileError,
    document_fonts,
    extension_font,
    missing_glyphs,
    runs_for,
)

COMMON_NAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
RARE_NAMES = "堃喆昇珺玥淼犇鑫垚燚璟昱晞琇"


def test_the_fonts_ship_with_their_licences() -> None:
    fonts_dir = paths.resources_dir() / "fonts"
    assert paths.document_font_path().is_file()
    assert "ARPHIC PUBLIC LICENSE" in (fonts_dir / "LICENSE-arphic-uming.txt").read_text(encoding="utf-8")
    assert (fonts_dir / "LICENSE-wqy-microhei.txt").is_file()
    assert paths.extension_font_path().is_file()
    assert "Hanazono Font License" in (fonts_dir / "LICENSE-hanazono.txt").read_text(encoding="utf-8")


def test_the_body_face_is_uming_and_covers_common_and_rare_name_characters() -> None:
    fonts = document_fonts()
    assert "uming" in fonts.body
    assert missing_glyphs(COMMON_NAMES + RARE_NAMES + "，。、；：“”《》〔〕（）—0123456789", fonts.body) == []


def test_a_character_only_the_fallback_has_is_set_in_the_fallback() -> None:
    fonts = document_fonts()
    assert missing_glyphs("王叕", fonts.body) == ["叕"]
    runs = runs_for("王叕同志", fonts)
    assert [(run.font, run.text) for run in runs.runs] == [
        (fonts.body, "王"), (fonts.fallback, "叕"), (fonts.body, "同志")]
    assert runs.missing == ()


def test_a_character_outside_the_basic_block_is_set_in_the_extension_face() -> None:
    fonts = document_fonts()
    runs = runs_for("𠮷祥、𠮷利", fonts)
    extension = extension_font(fonts)
    assert extension is not None and "HanaMinB" in extension
    assert [(run.font, run.text) for run in runs.runs] == [
        (extension, "𠮷"), (fonts.body, "祥、"), (extension, "𠮷"), (fonts.body, "利")]
    assert runs.missing == ()


def test_a_character_no_face_has_is_reported_not_dropped() -> None:
    runs = runs_for("\U00030000祥")  # CJK Extension G: after the shipped faces were made
    assert runs.missing == ("\U00030000",)
    assert "".join(run.text for run in runs.runs) == "\U00030000祥"


def test_layout_characters_are_not_reported() -> None:
    assert runs_for("第一段\n第二段").missing == ()


def test_a_font_file_that_cannot_be_embedded_is_refused_in_chinese(tmp_path: Path) -> None:
    with pytest.raises(FontFileError, match="找不到该文件"):
        document_fonts(body=FontFace(tmp_path / "无.ttf"))
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"OTTO" + bytes(200))  # a CFF (OpenType) signature: not TrueType outlines
    with pytest.raises(FontFileError, match="请选择 TrueType 字体"):
        document_fonts(body=FontFace(broken))
