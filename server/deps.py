"""Request dependencies: the database session, the protocol check and the authenticated caller.

One Session per request from ``app.state.sessionmaker``; a handler that writes commits it itself.  The
caller comes from the Bearer access token, and is refused (401) when the token is missing, forged or
expired, its device is revoked or its user disabled — checked on every request, because access tokens are
stateless.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import wire
from server import clock
from server.db import claim_write
from server.models import Device, ServerMeta, User
from server.security import read_access_token

UNAUTHORIZED = "登录已失效，请重新登录"
NO_TOKEN = "未登录：请求缺少访问令牌"
DEVICE_REVOKED = "此设备已被停用，请重新登录"
USER_DISABLED = "此账号已停用，请联系区管理员"


@dataclass(frozen=True)
class Caller:
    user_id: str
    username: str
    role: str
    device_id: str

    @property
    def sees_everything(self) -> bool:
        """A supervisor or admin: the whole district."""
        return self.role in ("supervisor", "admin")


READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_session(request: Request) -> Iterator[Session]:
    """The request's session; a POST / PATCH / PUT / DELETE is a writer from its first statement
    (server.db.claim_write), so its reads and writes see one state and never meet a stale snapshot."""
    with request.app.state.sessionmaker() as session:
        if request.method not in READ_METHODS:
            claim_write(session)
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def meta_value(session: Session, key: str) -> str:
    return session.execute(select(ServerMeta.value).where(ServerMeta.key == key)).scalar_one()


def token_secret(request: Request, session: Session) -> str:
    """The database's token secret, read once per app (it never changes for a database)."""
    secret: str | None = getattr(request.app.state, "token_secret", None)
    if secret is None:
        secret = meta_value(session, "token_secret")
        request.app.state.token_secret = secret
    return secret


def check_protocol(protocol: Annotated[str | None, Header(alias=wire.PROTOCOL_HEADER)] = None) -> None:
    """426 when the client says which protocol it speaks and this server does not speak it."""
    if protocol is None:
        return
    try:
        version = int(protocol)
    except ValueError:
        version = -1
    if not wire.PROTOCOL_MIN <= version <= wire.PROTOCOL_VERSION:
        raise HTTPException(
            status.HTTP_426_UPGRADE_REQUIRED,
            detail=f"同步协议版本不兼容：客户端为 {protocol}，服务器支持 {wire.PROTOCOL_MIN}–{wire.PROTOCOL_VERSION}；"
                   "请把工作台和区服务器升级到同一版本",
        )


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"})


def current_caller(
    request: Request,
    session: SessionDep,
    _protocol: Annotated[None, Depends(check_protocol)],
    authorization: Annotated[str | None, Header()] = None,
) -> Caller:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized(NO_TOKEN)
    claims = read_access_token(token_secret(request, session), token.strip(), now=clock.epoch_seconds())
    if claims is None:
        raise _unauthorized(UNAUTHORIZED)
    device = session.get(Device, claims.device_id)
    user = session.get(User, claims.user_id)
    if device is None or user is None or device.user_id != user.id:
        raise _unauthorized(UNAUTHORIZED)
    if device.revoked_at is not None:
        raise _unauthorized(DEVICE_REVOKED)
    if user.disabled_at is not None:
        raise _unauthorized(USER_DISABLED)
    return Caller(user_id=user.id, username=user.username, role=user.role, device_id=device.id)


CallerDep = Annotated[Caller, Depends(current_caller)]
