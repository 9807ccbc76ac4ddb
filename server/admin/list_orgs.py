"""``admin list-orgs``: every live organization with its code, id and assigned instructors."""

from __future__ import annotations

import argparse

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from server.models import OrgAssignment, User
from server.orgs import org_rows

NAME = "list-orgs"
HELP = "列出全部组织（统一社会信用代码、编号、分配的指导员）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options


def run(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    with factory() as session:
        assigned: dict[str, list[str]] = {}
        for org_id, username in session.execute(
                select(OrgAssignment.org_id, User.username).join(User, User.id == OrgAssignment.user_id)
                .order_by(User.username)):
            assigned.setdefault(org_id, []).append(username)
        rows = org_rows(session)
        for row in rows:
            archived = "（已归档）" if row.archived else ""
            print(f"{row.name}{archived}\t{row.uscc or '-'}\t{row.id}\t{row.sub_district or '-'}"
                  f"\t指导员：{'、'.join(assigned.get(row.id, [])) or '未分配'}")
    print(f"共 {len(rows)} 个组织")
    return 0
