"""``python -m server admin <command>``: the district's accounts, organizations and assignments.

One module per command, each with NAME, HELP, ``add_arguments(parser)`` and ``run(args, factory)``; the
database is migrated before a command runs.  A failure is one Chinese line on stderr and a non-zero exit.
"""

from __future__ import annotations

import argparse
from types import ModuleType

from server.admin import assign, create_user, import_orgs, list_orgs, list_users, revoke_device, unassign
from server.admin.common import AdminError, open_factory
from server.config import Settings
from server.ledger.import_orgs import OrgImportError
from server.orgs import UnknownOrgs
from server.users import AccountError

COMMANDS: tuple[ModuleType, ...] = (create_user, import_orgs, assign, unassign, revoke_device, list_users, list_orgs)
# What a command raises for input it cannot take: shown as its one line.
FAILURES = (AdminError, AccountError, OrgImportError, UnknownOrgs)


def add_parsers(parser: argparse.ArgumentParser) -> None:
    from server.cli_parser import Parser

    commands = parser.add_subparsers(dest="admin_command", metavar="<命令>", title="命令", required=True,
                                     parser_class=Parser)
    for module in COMMANDS:
        sub = commands.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(sub)
        sub.set_defaults(admin_run=module.run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    result: int = args.admin_run(args, open_factory(settings))
    return result
