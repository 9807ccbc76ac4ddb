"""发文字号 (GB/T 9704-2012 §7.2.3), as DESIGN §2.1 states it: ``{机关代字}〔YYYY〕N号``.

The year is written in full (four Arabic digits) inside 六角括号 〔〕; the sequence has no leading zeros
(no 虚位) and no 第.  Pure functions; the numbering service allocates sequences, the server confirms them.

``parse_doc_number`` accepts what people commonly type instead and normalizes it: other brackets
([ ] ［ ］ ( ) （ ） 【 】 ﹝ ﹞ 〖 〗), full-width digits, spaces, a missing 号.  It rejects, saying
what is wrong and how to write it, what the standard forbids and what would change the number's meaning:
第, leading zeros, a two-digit year, a number in Chinese numerals, a provisional number.

A provisional number (allocated offline, not yet confirmed by the server) is printed as
``鼓民社党〔2026〕临7号（临时编号）``: the 临 stands where a confirmed number has only digits, so it can never
parse as (or be typed back as) a confirmed number, and never equals one character for character; the
trailing （临时编号） says so in words to the reader of the paper.
"""

from __future__ import annotations

import re
from typing import NamedTuple

OPEN, CLOSE = "〔", "〕"
# Brackets people type for 〔〕 (IME defaults, Word's 【】, the small-form ﹝﹞ that looks the same).
BRACKET_VARIANTS = {"[": OPEN, "［": OPEN, "(": OPEN, "（": OPEN, "【": OPEN, "﹝": OPEN, "〖": OPEN,
                    "]": CLOSE, "］": CLOSE, ")": CLOSE, "）": CLOSE, "】": CLOSE, "﹞": CLOSE, "〗": CLOSE}
ALL_BRACKETS = frozenset(BRACKET_VARIANTS) | {OPEN, CLOSE}
_FULL_WIDTH_DIGITS = {chr(0xFF10 + i): str(i) for i in range(10)}
_BRACKETS = str.maketrans(BRACKET_VARIANTS)
_DIGITS = str.maketrans(_FULL_WIDTH_DIGITS)
_SHAPE = re.compile(rf"^(?P<prefix>[^{OPEN}{CLOSE}]*){OPEN}(?P<year>[^{OPEN}{CLOSE}]*){CLOSE}(?P<rest>.*)$")
_CHINESE_NUMERALS = set("〇零一二三四五六七八九十百千两")
PROVISIONAL_MARK = "临"
PROVISIONAL_NOTE = "（临时编号）"
_DEVICE_TAG = re.compile(r"^[A-Z0-9]{1,6}$")


class DocNumber(NamedTuple):
    prefix: str  # 机关代字, e.g. 鼓民社党
    year: int
    seq: int

    @property
    def text(self) -> str:
        return format_doc_number(self.prefix, self.year, self.seq)


class ProvisionalNumber(NamedTuple):
    """A number allocated offline, not yet confirmed by the server (``device``: see ``provisional_label``)."""

    prefix: str
    year: int
    local_seq: int
    device: str = ""

    @property
    def text(self) -> str:
        return provisional_label(self.prefix, self.year, self.local_seq, device=self.device)


def format_doc_number(prefix: str, year: int, seq: int) -> str:
    """``鼓民社党〔2026〕7号``; a ValueError (in Chinese) for an empty 代字, brackets in it, a year that is
    not four digits or a sequence below 1."""
    _check_prefix(prefix)
    _check_year(year)
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise ValueError(f"发文字号的序号应为从 1 开始的整数，不能是「{seq}」。")
    return f"{prefix}{OPEN}{year}{CLOSE}{seq}号"


def provisional_label(prefix: str, year: int, local_seq: int, *, device: str = "") -> str:
    """The printed form of a number not yet confirmed by the server: ``鼓民社党〔2026〕临7号（临时编号）``.

    Provisional sequences are per device; ``device`` (1-6 capital letters or digits, e.g. a short device
    code) keeps two devices' provisional numbers apart on paper: ``鼓民社党〔2026〕临B2-7号（临时编号）``."""
    _check_prefix(prefix)
    _check_year(year)
    if isinstance(local_seq, bool) or not isinstance(local_seq, int) or local_seq < 1:
        raise ValueError(f"临时编号的序号应为从 1 开始的整数，不能是「{local_seq}」。")
    if device and not _DEVICE_TAG.match(device):
        raise ValueError(f"设备代码「{device}」应为 1 至 6 位大写字母或数字。")
    tag = f"{device}-" if device else ""
    return f"{prefix}{OPEN}{year}{CLOSE}{PROVISIONAL_MARK}{tag}{local_seq}号{PROVISIONAL_NOTE}"


def is_provisional(text: str) -> bool:
    """Whether ``text`` is a provisional number as ``provisional_label`` prints it."""
    found = _SHAPE.match("".join(text.split()).translate(_BRACKETS))
    return found is not None and PROVISIONAL_MARK in found["rest"]


def parse_doc_number(text: str) -> DocNumber:
    """(代字, year, sequence) from a typed 发文字号, normalizing the common slips (see the module doc);
    a ValueError in Chinese saying what is wrong and, where it can, the correct form."""
    typed = "".join(text.split())
    if not typed:
        raise ValueError("发文字号为空，应写作「机关代字〔年份〕序号号」，如 鼓民社党〔2026〕7号。")
    found = _SHAPE.match(typed.translate(_BRACKETS))
    if not found:
        raise ValueError(f"「{typed}」中的年份应放在六角括号〔〕内，如 鼓民社党〔2026〕7号。")
    prefix, year_text, rest = found["prefix"], found["year"].translate(_DIGITS), found["rest"].translate(_DIGITS)
    if not prefix:
        raise ValueError(f"「{typed}」缺少机关代字（〔〕前的部分，如“鼓民社党”）。")
    if not year_text.isdecimal() or not year_text.isascii():
        raise ValueError(f"年份「{year_text}」应为四位阿拉伯数字，如〔2026〕。")
    if len(year_text) == 2:
        raise ValueError(f"年份应写全四位，如〔20{year_text}〕，不能简写为〔{year_text}〕。")
    if len(year_text) != 4 or year_text.startswith("0"):
        raise ValueError(f"年份「{year_text}」应为四位数字，如〔2026〕。")
    year = int(year_text)
    seq_text = rest.removesuffix("号")
    if PROVISIONAL_MARK in rest:
        raise ValueError(f"「{typed}」是临时编号，服务器确认后才有正式文号。")
    if seq_text.startswith("第"):
        digits = seq_text[1:]
        hint = f"，应写作 {format_doc_number(prefix, year, int(digits))}" if _plain_seq(digits) else ""
        raise ValueError(f"发文字号的序号前不加“第”{hint}。")
    if not seq_text:
        raise ValueError(f"「{typed}」缺少序号，应写作如 {prefix}{OPEN}{year}{CLOSE}7号。")
    if any(ch in _CHINESE_NUMERALS for ch in seq_text):
        raise ValueError(f"序号「{seq_text}」应使用阿拉伯数字，如 7号。")
    if not (seq_text.isdecimal() and seq_text.isascii()):
        raise ValueError(f"序号「{seq_text}」应只含阿拉伯数字，如 {prefix}{OPEN}{year}{CLOSE}7号。")
    if int(seq_text) == 0:
        raise ValueError("序号从 1 开始，不能为 0。")
    if seq_text.startswith("0"):
        right = format_doc_number(prefix, year, int(seq_text))
        raise ValueError(f"序号不编虚位（不加前导零），应写作 {right}，不能写作 {seq_text}号。")
    return DocNumber(prefix, year, int(seq_text))


SERIES_MAX_CHARS = 10


def series_problem(prefix: str) -> str | None:
    """What is wrong with ``prefix`` as the 机关代字 of a series (a setting), in Chinese; None when it is
    fine: not empty, no spaces, no brackets (the 〔〕 of the year are added), no digit at its end (it would
    run into the year on paper and could not be told from a sequence), at most ten characters, and never
    the provisional mark alone."""
    try:
        _check_prefix(prefix)
    except ValueError as exc:
        return str(exc)
    if len(prefix) > SERIES_MAX_CHARS:
        return f"机关代字「{prefix}」太长（{len(prefix)} 个字），最多 {SERIES_MAX_CHARS} 个字。"
    last = prefix[-1].translate(_DIGITS)
    if last.isdecimal() or last in _CHINESE_NUMERALS:
        return f"机关代字「{prefix}」不能以数字结尾（会与年份、序号混淆）。"
    return None


def _plain_seq(text: str) -> bool:
    return text.isdecimal() and text.isascii() and not text.startswith("0")


def _check_prefix(prefix: str) -> None:
    if not isinstance(prefix, str) or not prefix.strip():
        raise ValueError("机关代字不能为空（如“鼓民社党”）。")
    if prefix != prefix.strip() or any(ch.isspace() for ch in prefix):
        raise ValueError(f"机关代字「{prefix}」中不能有空格。")
    if brackets := sorted(set(prefix) & ALL_BRACKETS):
        raise ValueError(f"机关代字「{prefix}」中不能有括号（{''.join(brackets)}），年份的〔〕由系统添加。")


def _check_year(year: int) -> None:
    if isinstance(year, bool) or not isinstance(year, int) or not 1000 <= year <= 9999:
        raise ValueError(f"年份应为四位数字（如 2026），不能是「{year}」。")
