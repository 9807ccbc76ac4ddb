"""The server reads the system clock in one module only (DESIGN §3 Time): server/clock.py."""

from __future__ import annotations

import re
from pathlib import Path

import server

READS = re.compile(r"\b(?:datetime\.now|datetime\.utcnow|date\.today|time\.time|time\.time_ns)\(")


def test_only_server_clock_reads_the_system_clock() -> None:
    root = Path(server.__file__).parent
    readers = [f"{path.relative_to(root)}:{number}" for path in sorted(root.rglob("*.py"))
               if path.name != "clock.py" or path.parent != root
               for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if READS.search(line)]
    assert readers == []
