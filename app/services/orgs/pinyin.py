"""Pinyin keys of organization names: full pinyin (the ledger's name order, full-pinyin search) and
initials (searching "zbdh" finds 中北大华…), read with the district's place-name readings.

pypinyin reads a name phrase by phrase from its general dictionary, so place names come out wrong where
the general reading differs or a phrase across a boundary wins: "福州市长乐商会" reads 市长 (mayor) and
gives "zhangle".  Names are therefore cut at the district's place names first; each place name takes its
reading from :data:`PLACE_READINGS`, the rest goes to pypinyin.  pypinyin loads a large dictionary, so it
is imported on the first name read (a save), never at start-up.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# 福州 place names whose reading pypinyin gets wrong alone or in context (长乐 is Changle, 斗池 Douchi,
# 塔巷 Taxiang), plus the city and district names that sit in front of them in organization names
# ("福州市长乐…", "鼓楼区长乐…"): cutting there keeps 市长/区长 from being read as words.
PLACE_READINGS: dict[str, str] = {
    "福州": "fu zhou",
    "福州市": "fu zhou shi",
    "鼓楼区": "gu lou qu",
    "长乐": "chang le",
    "长乐区": "chang le qu",
    "马尾": "ma wei",
    "台江": "tai jiang",
    "仓山": "cang shan",
    "晋安": "jin an",
    "闽侯": "min hou",
    "连江": "lian jiang",
    "罗源": "luo yuan",
    "闽清": "min qing",
    "永泰": "yong tai",
    "平潭": "ping tan",
    "福清": "fu qing",
    "屏南": "ping nan",
    "长汀": "chang ting",
    "长泰": "chang tai",
    "乌山": "wu shan",
    "乌石山": "wu shi shan",
    "屏山": "ping shan",
    "斗池": "dou chi",
    "塔巷": "ta xiang",
    "黄巷": "huang xiang",
    "宫巷": "gong xiang",
    "杨桥巷": "yang qiao xiang",
    "吉庇": "ji bi",
    "乐群": "le qun",
    "南后街": "nan hou jie",
    "三坊七巷": "san fang qi xiang",
    "盖山": "gai shan",
}

_PLACES = re.compile("|".join(sorted(map(re.escape, PLACE_READINGS), key=len, reverse=True)))
_HANZI = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]+")
_LATIN = re.compile(r"[0-9a-z]+")


def _hanzi_syllables(text: str) -> list[str]:
    """Pinyin of a run of Chinese characters, one syllable per character, place names read as such."""
    from pypinyin import lazy_pinyin  # a large dictionary: loaded on first use (a save), not at start-up

    syllables: list[str] = []
    position = 0
    for place in _PLACES.finditer(text):
        syllables += lazy_pinyin(text[position : place.start()])
        syllables += PLACE_READINGS[place.group()].split()
        position = place.end()
    syllables += lazy_pinyin(text[position:])
    return syllables


def _items(name: str) -> list[tuple[str, bool]]:
    """(item, is a syllable) in order: pinyin syllables of the Chinese, whole runs of Latin letters and
    digits; punctuation and spaces are dropped."""
    text = unicodedata.normalize("NFKC", name).lower()
    items: list[tuple[str, bool]] = []
    position = 0
    for run in _HANZI.finditer(text):
        items += [(latin, False) for latin in _LATIN.findall(text[position : run.start()])]
        items += [(syllable, True) for syllable in _hanzi_syllables(run.group())]
        position = run.end()
    items += [(latin, False) for latin in _LATIN.findall(text[position:])]
    return items


@lru_cache(maxsize=4096)
def pinyin_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name, lower case, after NFKC (full-width letters and digits become
    plain ones).  Latin letters and digits are kept whole in both: "阳光2号ABC" → ("yangguang2haoabc",
    "yg2habc")."""
    items = _items(name)
    full = "".join(item for item, _ in items)
    initials = "".join(item[0] if syllable else item for item, syllable in items)
    return full, initials
