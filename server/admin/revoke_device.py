"""``admin revoke-device NAME [--device ID]``: refuse every token of a user's device (a lost laptop)."""

from __future__ import annotations

import argparse

from sqlalchemy.orm import Session, sessionmaker

from server.db import claim_write
from server.users import get_user, revoke_devices

NAME = "revoke-device"
HELP = "停用用户的设备（不写 --device 则停用其全部设备）；该设备须重新输入密码登录"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="用户名")
    parser.add_argument("--device", metavar="ID", help="设备编号（list-users 可查）；不写则停用全部设备")


def run(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    with claim_write(factory()) as session:
        user = get_user(session, args.name)
        revoked = revoke_devices(session, user, args.device)
        session.commit()
    print(f"已停用 {user.username} 的 {len(revoked)} 台设备" + (f"：{'、'.join(revoked)}" if revoked else ""))
    return 0
