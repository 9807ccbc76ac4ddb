"""Accounts: creating users (with the checks the admin CLI reports) and revoking their devices.

A username doubles as the client's profile name (signing in opens the profile of that user), so it obeys
the profile-name rule: lowercase letters, digits, ``_ . -``, 1–64 characters, starting and ending with a
letter or digit.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session
from uuid6 import uuid7

from app import wire
from server import clock
from server.assignments import ensure_instructor
from server.models import Device, RefreshToken, User
from server.security import hash_password
from server.store import next_version

USERNAME = re.compile(r"^[a-z0-9](?:[a-z0-9_.-]{0,62}[a-z0-9])?$")
MIN_PASSWORD = 8
MAX_DISPLAY_NAME = 100  # users.display_name


class AccountError(ValueError):
    """A request the accounts cannot take; ``str()`` is one Chinese line saying what to fix."""


def check_username(name: str) -> str:
    if not USERNAME.fullmatch(name):
        raise AccountError(f"用户名“{name}”不可用：只能用小写字母、数字和 _ . -，1–64 个字符，以字母或数字开头和结尾")
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码太短：至少 {MIN_PASSWORD} 个字符")
    if "\x00" in password:
        raise AccountError("密码里不能有空字符（NUL）")
    return password


def find_user(session: Session, username: str) -> User | None:
    return session.execute(select(User).where(User.username == username)).scalar_one_or_none()


def get_user(session: Session, username: str) -> User:
    user = find_user(session, username)
    if user is None:
        raise AccountError(f"没有用户“{username}”；用 list-users 查看已有用户")
    return user


def create_user(session: Session, username: str, *, role: str, password: str, display_name: str = "") -> User:
    """Add a user (an instructor also gets the ``instructor`` record clients pull).  The caller commits."""
    check_username(username)
    check_password(password)
    if role not in wire.ROLES:
        raise AccountError(f"角色“{role}”不存在：应为 {' / '.join(wire.ROLES)}")
    if len(display_name.strip()) > MAX_DISPLAY_NAME:
        raise AccountError(f"显示姓名太长：最多 {MAX_DISPLAY_NAME} 个字符")
    if find_user(session, username) is not None:
        raise AccountError(f"用户“{username}”已存在")
    version = next_version(session) if role == "instructor" else None
    user = User(id=str(uuid7()), username=username, role=role, password_hash=hash_password(password),
                display_name=display_name.strip() or username)
    session.add(user)
    session.flush()
    if version is not None:
        ensure_instructor(session, user, version)
    return user


def revoke_devices(session: Session, user: User, device_id: str | None = None) -> list[str]:
    """Revoke one device of ``user`` (or all of them) and end their refresh tokens; the ids revoked."""
    query = select(Device).where(Device.user_id == user.id)
    if device_id is not None:
        query = query.where(Device.id == device_id)
    devices = list(session.execute(query).scalars())
    if device_id is not None and not devices:
        raise AccountError(f"用户“{user.username}”没有设备“{device_id}”")
    now = clock.now()
    for device in devices:
        device.revoked_at = device.revoked_at or now
        for token in session.execute(select(RefreshToken).where(RefreshToken.device_id == device.id,
                                                                RefreshToken.used_at.is_(None))).scalars():
            token.used_at = now
    session.flush()
    return [device.id for device in devices]
