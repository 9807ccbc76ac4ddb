"""Signing a profile in to the district server and out again (DESIGN §3: one profile per account).

Signing in as ``alice`` opens (or creates) the profile ``alice`` and makes it the default one; its
``sync_state`` names the server, the account and this device, and the refresh token goes to the keyring
(app.services.sync.credentials).  The demo profile is never signed in.  Network and file work: run these
off the UI thread."""

from __future__ import annotations

import socket
import uuid
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from app import paths, wire
from app.services.core.database import open_database
from app.services.sync import access_tokens, credentials, state
from app.services.sync.dto import Account
from app.services.sync.errors import SyncError, WrongPassword
from app.services.sync.transport import Transport, body_of, server_message

__all__ = ["DEMO_REFUSED", "account_of", "login", "sign_in", "sign_out"]

DEMO_REFUSED = "演示数据不参与同步。"


def _profile_for(username: str) -> str:
    if paths.is_demo_profile(username):
        raise SyncError(DEMO_REFUSED)
    try:
        return paths.check_profile_name(username)
    except paths.ProfileNameError:
        raise SyncError(f"用户名“{username}”不能用作本机的用户配置名：只能用小写英文字母、数字、下划线、点和"
                        "连字符。请联系区里的管理员。") from None


def login(transport: Transport, username: str, password: str, device_name: str | None = None) -> dict[str, Any]:
    """``POST /auth/login``: the token pair (wire.TokenPair); SyncError with the server's reason."""
    response = transport.request("POST", "/auth/login", auth=False, json={
        "username": username, "password": password, "device_id": transport.device_id,
        "device_name": device_name or socket.gethostname()})
    if response.status_code == 401:
        raise WrongPassword(server_message(response) or "用户名或密码不正确。")
    if response.status_code >= 300:
        raise SyncError(transport.failure(response))
    pair: dict[str, Any] = body_of(response)
    transport.access_token = pair["access_token"]
    return pair


def sign_in(server_url: str, username: str, password: str, *, ca_file: str | None = None,
            device_name: str | None = None) -> Account:
    """Log in and make ``username``'s profile the signed-in, default one.  SyncError (and its kinds) with
    a Chinese line on failure; nothing is written then."""
    profile = _profile_for(username)
    server_url = server_url.strip().rstrip("/").removesuffix(wire.PREFIX)  # the API's address pasted whole
    if not server_url.startswith(("http://", "https://")):
        raise SyncError(f"服务器地址“{server_url}”应以 https:// 开头（例如 https://dangjian.example.gov.cn）。")
    database = open_database(paths.database_path(profile))
    try:
        factory = database.session_factory
        with factory() as session:
            before = state.read(session, [state.SERVER_URL, state.DEVICE_ID])
        if before.get(state.SERVER_URL) and before[state.SERVER_URL] != server_url:
            raise SyncError(f"用户配置“{profile}”已登录服务器 {before[state.SERVER_URL]}；"
                            "请先退出登录，再登录另一台服务器。")
        device_id = before.get(state.DEVICE_ID) or str(uuid.uuid4())
        with Transport(server_url, device_id, ca_file=ca_file) as transport:
            pair = login(transport, username, password, device_name)
        user = pair.get("user") or {}
        keyring_ok = credentials.store(server_url, username, pair["refresh_token"])
        values = {state.SERVER_URL: server_url, state.USERNAME: username, state.USER_ID: str(user.get("id", "")),
                  state.ROLE: str(user.get("role", "instructor")),
                  state.DISPLAY_NAME: str(user.get("display_name", username)), state.DEVICE_ID: device_id,
                  state.CA_FILE: ca_file or "", state.KEYRING_OK: "1" if keyring_ok else "0"}
        with factory.begin() as session:
            state.write(session, values)
    finally:
        database.close()
    paths.set_default_profile(profile)
    return _account(profile, values)


def _account(profile: str, values: dict[str, str]) -> Account:
    return Account(profile=profile, server_url=values[state.SERVER_URL], username=values[state.USERNAME],
                   role=values.get(state.ROLE, ""), display_name=values.get(state.DISPLAY_NAME, ""),
                   keyring_ok=values.get(state.KEYRING_OK, "0") == "1")


def account_in(session: Session) -> Account | None:
    values = state.read(session, state.ACCOUNT_KEYS)
    if not values.get(state.SERVER_URL) or not values.get(state.USERNAME):
        return None
    return _account(values[state.USERNAME], values)


def account_of(factory: sessionmaker[Session]) -> Account | None:
    """The account the open profile is signed in to, or None.  Read-only; any thread."""
    with factory() as session:
        return account_in(session)


def sign_out(profile: str | None = None) -> None:
    """Log out (best effort: offline is fine), forget the refresh token, and clear the account from the
    profile's sync state — its data and unsent changes are kept.  The default profile goes back to
    ``local``."""
    profile = profile or paths.active_profile()
    if paths.is_demo_profile(profile):
        raise SyncError(DEMO_REFUSED)
    path = paths.database_file(profile)
    if path.exists():
        database = open_database(path)
        try:
            with database.session_factory() as session:
                values = state.read(session, [*state.ACCOUNT_KEYS, state.DEVICE_ID])
            if values.get(state.SERVER_URL) and values.get(state.USERNAME):
                _log_out(values)
                credentials.forget(values[state.SERVER_URL], values[state.USERNAME])
                access_tokens.forget(values[state.SERVER_URL], values[state.USERNAME])
            with database.session_factory.begin() as session:
                state.clear(session, state.ACCOUNT_KEYS)
        finally:
            database.close()
    if paths.default_profile() == profile:
        paths.set_default_profile(paths.DEFAULT_PROFILE)


def _log_out(values: dict[str, str]) -> None:
    token = credentials.load(values[state.SERVER_URL], values[state.USERNAME])
    if not token:
        return
    try:
        with Transport(values[state.SERVER_URL], values.get(state.DEVICE_ID, ""),
                       ca_file=values.get(state.CA_FILE) or None) as transport:
            transport.client.post("/auth/logout", json={"refresh_token": token,
                                                        "device_id": values.get(state.DEVICE_ID, "")})
    except Exception:
        return
