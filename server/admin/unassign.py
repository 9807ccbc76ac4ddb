"""``admin unassign NAME --org CODE_OR_ID...``: end an instructor's assignments (until yesterday)."""

from __future__ import annotations

import argparse

from sqlalchemy.orm import Session, sessionmaker

from server.admin.common import add_instructor_and_orgs
from server.assignments import unassign
from server.db import claim_write
from server.orgs import resolve_orgs
from server.store import next_version
from server.users import get_user

NAME = "unassign"
HELP = "取消指导员对组织的分配（可一次写多个）"


add_arguments = add_instructor_and_orgs


def run(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    with claim_write(factory()) as session:
        user = get_user(session, args.name)
        org_ids = resolve_orgs(session, args.org)
        version = next_version(session)
        changed = sum(unassign(session, user, org_id, version) for org_id in org_ids)
        if changed:
            session.commit()
        print(f"已取消 {user.username} 的 {changed} 个组织（{len(org_ids) - changed} 个原本未分配）")
    return 0
