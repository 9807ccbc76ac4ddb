"""``python -m app``: the GUI with no arguments, else a subcommand (``python -m app --help``)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args:
        from app.cli import run

        return run(args)
    from app.ui.gui import run_gui

    return run_gui()


if __name__ == "__main__":
    sys.exit(main())
