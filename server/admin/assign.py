"""``admin assign NAME --org CODE_OR_ID...``: give an instructor organizations (from today)."""

from __future__ import annotations

import argparse

from sqlalchemy.orm import Session, sessionmaker

from server.admin.common import AdminError, add_instructor_and_orgs
from server.assignments import assign
from server.db import claim_write
from server.orgs import resolve_orgs
from server.store import next_version
from server.users import get_user

NAME = "assign"
HELP = "把组织分配给指导员（可一次写多个）"


add_arguments = add_instructor_and_orgs


def run(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    with claim_write(factory()) as session:
        user = get_user(session, args.name)
        if user.role != "instructor":
            raise AdminError(f"用户“{user.username}”是 {user.role}，只有指导员（instructor）需要分配组织")
        org_ids = resolve_orgs(session, args.org)
        version = next_version(session)
        changed = sum(assign(session, user, org_id, version) for org_id in org_ids)
        if changed:
            session.commit()
        print(f"已分配 {changed} 个组织给 {user.username}（{len(org_ids) - changed} 个原已分配）")
    return 0
