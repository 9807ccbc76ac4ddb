"""``admin list-users``: every account with its role, organizations and devices."""

from __future__ import annotations

import argparse

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from server.models import Device, OrgAssignment, User

NAME = "list-users"
HELP = "列出全部账号（角色、分配的组织数、设备）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options


def _devices(session: Session, user_id: str) -> str:
    devices = session.execute(select(Device).where(Device.user_id == user_id).order_by(Device.created_at)).scalars()
    shown = [f"{d.id}{'(已停用)' if d.revoked_at else ''}" for d in devices]
    return "、".join(shown) or "无"


def run(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    with factory() as session:
        counts: dict[str, int] = {user_id: count for user_id, count in session.execute(
            select(OrgAssignment.user_id, func.count()).group_by(OrgAssignment.user_id))}
        users = list(session.execute(select(User).order_by(User.username)).scalars())
        for user in users:
            state = "（已停用）" if user.disabled_at else ""
            print(f"{user.username}\t{user.display_name}\t{user.role}{state}\t组织 {counts.get(user.id, 0)} 个"
                  f"\t设备：{_devices(session, user.id)}")
    print(f"共 {len(users)} 个账号")
    return 0
