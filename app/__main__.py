"""``python -m app [--profile NAME]``: the GUI with no subcommand, else a subcommand (``python -m app --help``)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    from app import paths
    from app.cli.common import EXIT_USAGE, UsageError, fail, split_profile

    try:
        profile, rest = split_profile(list(args))
        if not rest:  # the GUI, in the chosen profile
            paths.set_active_profile(profile)
            paths.active_profile()
    except (UsageError, paths.ProfileNameError) as exc:
        return fail(str(exc), EXIT_USAGE)
    if rest:
        from app.cli import run

        return run(args)
    from app.ui.gui import run_gui

    return run_gui()


if __name__ == "__main__":
    sys.exit(main())
