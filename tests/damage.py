"""Damage a database file the way a failing disk does, for the integrity tests."""

from __future__ import annotations

import random
from pathlib import Path

from app.services.core.sqlite_file import UnreadableFile, quick_check, stored_revision


def damage_a_middle_page(path: Path) -> bytes:
    """Random bytes over one whole page in the middle of the file: the first page from the middle on whose
    damage opening does not notice (the schema still reads) but ``quick_check`` does — which page that is
    moves as migrations add tables.  Returns the damaged file's bytes."""
    original = path.read_bytes()
    pages = len(original) // 4096
    for page in range(pages // 2, pages):
        data = bytearray(original)
        data[page * 4096:(page + 1) * 4096] = random.Random(7).randbytes(4096)
        path.write_bytes(bytes(data))
        try:
            stored_revision(path)
        except UnreadableFile:
            continue
        if quick_check(path):
            return bytes(data)
    raise AssertionError("no page found whose damage only quick_check notices")
