"""Login, access-token expiry, refresh rotation, reuse of a used refresh token, logout, revoked devices."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from app import wire
from server import clock
from server.api.auth import RETRY_GRACE
from server.models import Device, RefreshToken
from server.security import hash_refresh_token
from server.users import get_user, revoke_devices
from tests.server.conftest import PASSWORD, PROTOCOL, bearer

LOGIN = f"{wire.PREFIX}/auth/login"
REFRESH = f"{wire.PREFIX}/auth/refresh"
LOGOUT = f"{wire.PREFIX}/auth/logout"
META = f"{wire.PREFIX}/meta"


def test_login_returns_a_pair_that_opens_meta(client: TestClient, add_user: Any, sign_in: Any) -> None:
    add_user("zhang.san", display_name="张三")
    pair = sign_in("zhang.san")
    assert pair["user"]["username"] == "zhang.san" and pair["user"]["role"] == "instructor"
    assert pair["user"]["display_name"] == "张三" and pair["expires_in"] == 900
    assert len(pair["refresh_token"]) < 100  # short enough for Windows' credential store
    answer = client.get(META, headers=bearer(pair))
    assert answer.status_code == 200
    assert answer.json()["user"]["username"] == "zhang.san"


def test_unknown_user_and_wrong_password_get_the_same_answer(client: TestClient, add_user: Any) -> None:
    add_user("zhang.san")
    body = {"password": PASSWORD + "x", "device_id": "d1", "device_name": ""}
    wrong = client.post(LOGIN, json={**body, "username": "zhang.san"})
    unknown = client.post(LOGIN, json={**body, "username": "li.si", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"detail": "用户名或密码不正确"}


def test_requests_without_a_valid_token_are_refused(client: TestClient, add_user: Any, sign_in: Any) -> None:
    add_user("zhang.san")
    pair = sign_in("zhang.san")
    assert client.get(META).status_code == 401
    forged = pair["access_token"][:-2] + ("AA" if not pair["access_token"].endswith("AA") else "BB")
    answer = client.get(META, headers={"Authorization": f"Bearer {forged}"})
    assert answer.status_code == 401 and answer.json()["detail"]


def test_an_access_token_expires(client: TestClient, add_user: Any, sign_in: Any) -> None:
    add_user("zhang.san")
    pair = sign_in("zhang.san")
    issued = clock.now()
    life = timedelta(seconds=pair["expires_in"])
    previous = clock.set_source(lambda: issued + life - timedelta(seconds=5))  # the server's one clock
    try:
        assert client.get(META, headers=bearer(pair)).status_code == 200
        clock.set_source(lambda: issued + life + timedelta(seconds=5))
        assert client.get(META, headers=bearer(pair)).status_code == 401
    finally:
        clock.set_source(previous)


def _refresh(client: TestClient, token: str, device_id: str = "device-1") -> Any:
    return client.post(REFRESH, json={"refresh_token": token, "device_id": device_id}, headers=PROTOCOL)


def test_refresh_rotates_the_token(client: TestClient, add_user: Any, sign_in: Any, server_app: Any) -> None:
    add_user("zhang.san")
    first = sign_in("zhang.san")
    answer = _refresh(client, first["refresh_token"])
    assert answer.status_code == 200
    second = answer.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert client.get(META, headers=bearer(second)).status_code == 200
    with server_app.state.sessionmaker() as session:
        used = session.get(RefreshToken, hash_refresh_token(first["refresh_token"]))
        assert used is not None and used.used_at is not None
        assert session.get(RefreshToken, hash_refresh_token(second["refresh_token"])).used_at is None
    third = _refresh(client, second["refresh_token"])
    assert third.status_code == 200


def _used_long_ago(server_app: Any, token: str) -> None:
    """Move a used token's use past the retry grace: a replay now is a copied token, not a lost answer."""
    with server_app.state.sessionmaker() as db_session:
        row = db_session.get(RefreshToken, hash_refresh_token(token))
        row.used_at -= RETRY_GRACE + timedelta(seconds=1)
        db_session.commit()


def test_reusing_a_used_refresh_token_revokes_the_device(client: TestClient, add_user: Any, sign_in: Any,
                                                          server_app: Any) -> None:
    add_user("zhang.san")
    first = sign_in("zhang.san")
    second = _refresh(client, first["refresh_token"]).json()
    _used_long_ago(server_app, first["refresh_token"])
    replay = _refresh(client, first["refresh_token"])
    assert replay.status_code == 401 and "停用" in replay.json()["detail"]
    with server_app.state.sessionmaker() as db_session:
        assert db_session.get(Device, "device-1").revoked_at is not None
    assert client.get(META, headers=bearer(second)).status_code == 401  # its access token is refused
    assert _refresh(client, second["refresh_token"]).status_code == 401  # and so is its newest refresh token
    again = sign_in("zhang.san")  # the password re-opens the device
    assert client.get(META, headers=bearer(again)).status_code == 200


def test_a_refresh_retried_after_a_lost_answer_gets_a_new_pair(client: TestClient, add_user: Any,
                                                                sign_in: Any, server_app: Any) -> None:
    add_user("zhang.san")
    first = sign_in("zhang.san")
    lost = _refresh(client, first["refresh_token"]).json()  # the answer the client never received
    retried = _refresh(client, first["refresh_token"])
    assert retried.status_code == 200
    third = retried.json()
    assert client.get(META, headers=bearer(third)).status_code == 200
    assert _refresh(client, third["refresh_token"]).status_code == 200
    _used_long_ago(server_app, lost["refresh_token"])  # the lost one turns up later: a copy
    assert _refresh(client, lost["refresh_token"]).status_code == 401
    with server_app.state.sessionmaker() as db_session:
        assert db_session.get(Device, "device-1").revoked_at is not None


def test_a_refresh_token_of_another_device_is_refused(client: TestClient, add_user: Any, sign_in: Any) -> None:
    add_user("zhang.san")
    pair = sign_in("zhang.san")
    assert _refresh(client, pair["refresh_token"], device_id="elsewhere").status_code == 401
    assert _refresh(client, "not-a-token").status_code == 401


def test_logout_ends_the_refresh_token(client: TestClient, add_user: Any, sign_in: Any) -> None:
    add_user("zhang.san")
    pair = sign_in("zhang.san")
    assert client.post(LOGOUT, json={"refresh_token": pair["refresh_token"], "device_id": "device-1"}).json() == {}
    refused = _refresh(client, pair["refresh_token"])
    assert refused.status_code == 401 and "停用" not in refused.json()["detail"]  # signed out, not revoked
    assert client.post(LOGOUT, json={"refresh_token": "unknown", "device_id": "device-1"}).status_code == 200
    assert client.get(META, headers=bearer(sign_in("zhang.san"))).status_code == 200


def test_revoking_a_device_refuses_its_tokens(client: TestClient, add_user: Any, sign_in: Any,
                                             server_app: Any) -> None:
    add_user("zhang.san")
    laptop = sign_in("zhang.san", device_id="laptop")
    desktop = sign_in("zhang.san", device_id="desktop")
    with server_app.state.sessionmaker() as db_session:
        assert revoke_devices(db_session, get_user(db_session, "zhang.san"), "laptop") == ["laptop"]
        db_session.commit()
    assert client.get(META, headers=bearer(laptop)).status_code == 401
    assert _refresh(client, laptop["refresh_token"], device_id="laptop").status_code == 401
    assert client.get(META, headers=bearer(desktop)).status_code == 200


def test_a_device_of_one_user_cannot_sign_in_as_another(client: TestClient, add_user: Any, sign_in: Any) -> None:
    add_user("zhang.san")
    add_user("li.si")
    sign_in("zhang.san", device_id="shared")
    answer = client.post(LOGIN, json={"username": "li.si", "password": PASSWORD, "device_id": "shared",
                                      "device_name": ""})
    assert answer.status_code == 409 and answer.json()["detail"]


def test_a_client_outside_the_protocol_range_gets_426(client: TestClient, add_user: Any, sign_in: Any) -> None:
    add_user("zhang.san")
    pair = sign_in("zhang.san")
    for version in (str(wire.PROTOCOL_VERSION + 1), str(wire.PROTOCOL_MIN - 1), "x"):
        headers = {**bearer(pair), wire.PROTOCOL_HEADER: version}
        answer = client.get(META, headers=headers)
        assert answer.status_code == 426 and "升级" in answer.json()["detail"]
        login = client.post(LOGIN, headers={wire.PROTOCOL_HEADER: version},
                            json={"username": "zhang.san", "password": PASSWORD, "device_id": "d", "device_name": ""})
        assert login.status_code == 426
    assert client.get(f"{wire.PREFIX}/health").json() == {"status": "ok"}


def test_tokens_are_read_strictly() -> None:
    from server.security import make_access_token, read_access_token

    token = make_access_token("secret", user_id="u", device_id="d", expires_at=2000)
    claims = read_access_token("secret", token, now=1000)
    assert claims is not None and (claims.user_id, claims.device_id) == ("u", "d")
    assert read_access_token("other secret", token, now=1000) is None
    assert read_access_token("secret", token, now=2000) is None  # expired at its second
    for garbage in ("", ".", "abc", "é.é", token + "x", "e30." + token.split(".")[1], "bm90IGpzb24.sig"):
        assert read_access_token("secret", garbage, now=1000) is None


def test_a_token_header_in_any_text_is_a_401(client: TestClient) -> None:
    answer = client.get(META, headers={"Authorization": "Bearer café.été".encode()})  # raw bytes on the wire
    assert answer.status_code == 401
