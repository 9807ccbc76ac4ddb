"""Running ``python -m server …`` in-process (server.__main__.main) against a test's server home."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest

from server.__main__ import main


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


def run_server_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str,
                   stdin: str = "") -> Outcome:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    capsys.readouterr()
    code = main(list(args))
    captured = capsys.readouterr()
    return Outcome(code, captured.out, captured.err)
