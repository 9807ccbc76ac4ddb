"""What a sync refuses before talking to a server: the demo profile, a profile not signed in, and an
account with no stored login and no password (no keyring on this computer)."""

from __future__ import annotations

import httpx
import pytest

from app import paths
from app.services.core.database import open_database
from app.services.sync import PasswordNeeded, SyncError, run_sync, sign_in, sync_status
from app.services.sync.transport import Transport
from tests.unit.sync.sync_builders import SERVER, sign_in_locally


def _unreachable() -> Transport:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"no request expected, got {request.url}")

    return Transport(SERVER, "d", client=httpx.Client(transport=httpx.MockTransport(handler), base_url=SERVER))


def test_the_demo_profile_never_syncs_nor_signs_in() -> None:
    database = open_database(paths.database_path(paths.DEMO_PROFILE))
    try:
        sign_in_locally(database.session_factory)
        with pytest.raises(SyncError, match="演示数据不参与同步"):
            run_sync(database.session_factory, transport=_unreachable())
    finally:
        database.close()
    with pytest.raises(SyncError, match="演示数据不参与同步"):
        sign_in(SERVER, "demo", "password")


def test_a_profile_not_signed_in_is_told_to_sign_in(db: object) -> None:
    with pytest.raises(SyncError, match="还没有登录"):
        run_sync(db.session_factory, transport=_unreachable())  # type: ignore[attr-defined]


def test_no_keyring_and_no_password_asks_for_the_password(db: object) -> None:
    factory = db.session_factory  # type: ignore[attr-defined]
    sign_in_locally(factory, keyring_ok=False)
    with pytest.raises(PasswordNeeded, match="钥匙串"):
        run_sync(factory, transport=_unreachable())
    assert "钥匙串" in sync_status(factory).last_error


def test_a_username_that_cannot_name_a_profile_is_refused() -> None:
    with pytest.raises(SyncError, match="不能用作本机的用户配置名"):
        sign_in(SERVER, "Alice Smith", "password")


def test_the_default_profile_file_chooses_the_profile_when_none_is_named() -> None:
    assert paths.default_profile() == "local"
    paths.set_default_profile("alice")
    assert paths.default_profile() == "alice" and paths.active_profile() == "alice"
    paths.set_default_profile("local")
    assert paths.active_profile() == "local"
