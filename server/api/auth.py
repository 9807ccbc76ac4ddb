"""Login, refresh and logout (SYNC §8.4 / §8.7).

A login with the password opens (or re-opens) a device and issues a pair: a short-lived access token and a
refresh token.  A refresh token is used once: refreshing marks it used and issues a new pair (a device has
one live refresh token).  A used token presented again means it was copied — the device is revoked and
every token of it refused; the user signs in again with the password.

One exception, :data:`RETRY_GRACE` after its use: the client retries a refresh whose answer was lost on
the network with the same token, and that must not cost the user a password prompt.  Such a retry gets a
new pair and ends the one it never received.  A thief replaying inside the window gains little: the
rightful client's next refresh presents a token ended by the replay — past the window, that revokes the
device and both chains with it.  Logout deletes the device's refresh tokens (the device stays usable).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request, status
from pydantic import BaseModel, Field
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from server import clock
from server.config import Settings
from server.deps import SessionDep, check_protocol, token_secret
from server.models import Device, RefreshToken, User
from server.security import hash_refresh_token, make_access_token, new_refresh_token, verify_password

router = APIRouter(prefix="/auth", tags=["auth"], dependencies=[Depends(check_protocol)])

BAD_CREDENTIALS = "用户名或密码不正确"
REFRESH_INVALID = "登录已失效，请重新输入密码登录"
REFRESH_REUSED = "此登录凭据已被使用过，为安全起见本设备已停用；请重新输入密码登录"
DEVICE_TAKEN = "此设备编号已登记在另一个账号下；请在工作台中使用该账号自己的资料登录"
USER_DISABLED = "此账号已停用，请联系区管理员"
DEVICE_REVOKED = "此设备已被停用，请重新输入密码登录"
RETRY_GRACE = timedelta(seconds=60)
NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL: refused as invalid input (422), never a 500


class LoginBody(BaseModel):
    username: str = Field(max_length=64, pattern=NO_NUL)
    password: str = Field(max_length=1024)
    device_id: str = Field(min_length=1, max_length=64, pattern=NO_NUL)
    device_name: str = Field(default="", max_length=100, pattern=NO_NUL)


class RefreshBody(BaseModel):
    refresh_token: str = Field(max_length=200)
    device_id: str = Field(min_length=1, max_length=64, pattern=NO_NUL)


def _now() -> datetime:
    return clock.now()


def _refused(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"})


def user_view(user: User) -> dict[str, Any]:
    return {"id": user.id, "username": user.username, "display_name": user.display_name, "role": user.role}


def _issue(request: Request, session: Session, user: User, device: Device, now: datetime) -> dict[str, Any]:
    """A new pair for ``device``, ending its other refresh tokens (the caller commits)."""
    settings: Settings = request.app.state.settings
    end_refresh_tokens(session, device.id, now)
    token, digest = new_refresh_token()
    session.add(RefreshToken(token_hash=digest, device_id=device.id, user_id=user.id, issued_at=now,
                             expires_at=now + timedelta(seconds=settings.refresh_ttl)))
    device.last_seen_at = now
    access = make_access_token(token_secret(request, session), user_id=user.id, device_id=device.id,
                               expires_at=clock.epoch_seconds() + settings.access_ttl)
    return {"access_token": access, "refresh_token": token, "expires_in": settings.access_ttl,
            "user": user_view(user)}


@router.post("/login")
def login(body: LoginBody, request: Request, session: SessionDep) -> dict[str, Any]:
    """The password for a token pair (wire.TokenPair).  An unknown user and a wrong password get the
    same answer after the same work.  Signing in again on a revoked device re-opens it: the password is
    fresh proof."""
    user = session.execute(select(User).where(User.username == body.username.strip())).scalar_one_or_none()
    if not verify_password(user.password_hash if user else None, body.password) or user is None:
        raise _refused(BAD_CREDENTIALS)
    if user.disabled_at is not None:
        raise _refused(USER_DISABLED)
    device = session.get(Device, body.device_id)
    if device is None:
        device = Device(id=body.device_id, user_id=user.id, name=body.device_name)
        session.add(device)
    elif device.user_id != user.id:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=DEVICE_TAKEN)
    device.name = body.device_name or device.name
    device.revoked_at = None
    pair = _issue(request, session, user, device, _now())
    session.commit()
    return pair


def _revoke_device(session: Session, device: Device, now: datetime) -> None:
    device.revoked_at = now
    end_refresh_tokens(session, device.id, now)


def end_refresh_tokens(session: Session, device_id: str, now: datetime) -> None:
    session.execute(update(RefreshToken).where(RefreshToken.device_id == device_id, RefreshToken.used_at.is_(None))
                    .values(used_at=now))


@router.post("/refresh")
def refresh(body: RefreshBody, request: Request, session: SessionDep) -> dict[str, Any]:
    """A refresh token for a new pair; the presented token is used up."""
    now = _now()
    row = session.get(RefreshToken, hash_refresh_token(body.refresh_token), with_for_update=True)
    if row is None or row.device_id != body.device_id:
        raise _refused(REFRESH_INVALID)
    device = session.get(Device, row.device_id)
    user = session.get(User, row.user_id)
    if device is None or user is None:
        raise _refused(REFRESH_INVALID)
    if device.revoked_at is not None:
        raise _refused(DEVICE_REVOKED)
    if user.disabled_at is not None:
        raise _refused(USER_DISABLED)
    if row.used_at is not None and now - row.used_at > RETRY_GRACE:
        _revoke_device(session, device, now)
        session.commit()
        raise _refused(REFRESH_REUSED)
    if row.expires_at <= now:
        raise _refused(REFRESH_INVALID)
    pair = _issue(request, session, user, device, now)  # ends this token (and a lost answer's successor)
    session.commit()
    return pair


@router.post("/logout")
def logout(body: RefreshBody, session: SessionDep) -> dict[str, Any]:
    """Delete the device's refresh tokens (an unknown token: nothing to do, same answer).  Deleted, not
    marked used: presenting one later is a signed-out client, not a copied token."""
    row = session.get(RefreshToken, hash_refresh_token(body.refresh_token))
    if row is not None and row.device_id == body.device_id:
        session.execute(delete(RefreshToken).where(RefreshToken.device_id == row.device_id))
        session.commit()
    return {}
