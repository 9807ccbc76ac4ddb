"""``admin create-user NAME --role instructor|supervisor|admin --password-stdin [--display-name TEXT]``."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.orm import Session, sessionmaker

from app import wire
from server.admin.common import AdminError
from server.db import claim_write
from server.users import create_user

NAME = "create-user"
HELP = "新建账号（指导员、督导员或管理员），密码从标准输入读取"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="用户名，即工作台里的资料名：小写字母、数字和 _ . -")
    parser.add_argument("--role", required=True, choices=wire.ROLES,
                        help="角色：instructor 指导员 / supervisor 督导员 / admin 管理员")
    parser.add_argument("--password-stdin", action="store_true", required=True,
                        help="从标准输入读取密码（第一行，至少 8 个字符），避免密码留在命令历史里")
    parser.add_argument("--display-name", default="", metavar="TEXT", help="显示的姓名，如“张三”（默认同用户名）")


def read_password() -> str:
    line = sys.stdin.readline()
    if not line:
        raise AdminError("没有读到密码：请从标准输入传入，例如 echo '密码' | python -m server admin create-user …")
    return line.rstrip("\r\n")


def run(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    password = read_password()
    with claim_write(factory()) as session:
        user = create_user(session, args.name, role=args.role, password=password, display_name=args.display_name)
        session.commit()
        print(f"已新建用户 {user.username}（{user.display_name}，{user.role}），编号 {user.id}")
    return 0
