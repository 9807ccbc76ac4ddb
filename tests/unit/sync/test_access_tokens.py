"""A sync run reuses the access token of the run before while it lives (app/services/sync/access_tokens.py):
a sync with nothing to do is then /meta and one empty /pull (SYNC.md §8.11), and a kept token the server
refuses is answered by a refresh, the sync going through as before."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.services.sync import access_tokens, sign_out
from app.services.sync import state as sync_state
from app.services.sync.transport import Transport
from tests.sync.server_process import ServerProcess
from tests.unit.sync.e2e_clients import Admin, Client, running_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with running_server(tmp_path_factory.mktemp("server")) as started:
        yield started


def _signed_in(server: ServerProcess, template: Path, name: str) -> Client:
    Admin(server).create_user(name)
    return Client(server, name, template)


def _sync_counting(client: Client) -> list[str]:
    """One sync through a transport that notes each request as "METHOD /path"."""
    with client.factory() as session:
        device_id = sync_state.get(session, sync_state.DEVICE_ID)
    seen: list[str] = []
    transport = Transport(client.account.server_url, device_id)
    transport.client.event_hooks["request"].append(
        lambda request: seen.append(f"{request.method} {request.url.path.rsplit('/v1', 1)[-1]}"))
    with transport:
        client.sync(transport=transport)
    return seen


def test_a_second_sync_with_nothing_to_do_is_meta_and_one_pull(server: ServerProcess,
                                                                migrated_template: Path) -> None:
    carol = _signed_in(server, migrated_template, "carol")
    assert _sync_counting(carol)[0] == "POST /auth/refresh"  # nothing kept after sign-in: refresh first
    assert _sync_counting(carol) == ["GET /meta", "GET /pull"]
    carol.close()


def test_a_kept_token_the_server_refuses_is_refreshed(server: ServerProcess, migrated_template: Path) -> None:
    dave = _signed_in(server, migrated_template, "dave")
    _sync_counting(dave)
    with dave.factory() as session:
        device_id = sync_state.get(session, sync_state.DEVICE_ID)
    access_tokens.remember(dave.account.server_url, "dave", device_id, "not-a-token", 900)
    assert _sync_counting(dave) == ["GET /meta", "POST /auth/refresh", "GET /meta", "GET /pull"]
    assert access_tokens.recall(dave.account.server_url, "dave", device_id) not in (None, "not-a-token")
    dave.close()


def test_sign_out_forgets_the_kept_token(server: ServerProcess, migrated_template: Path) -> None:
    erin = _signed_in(server, migrated_template, "erin")
    _sync_counting(erin)
    with erin.factory() as session:
        device_id = sync_state.get(session, sync_state.DEVICE_ID)
    assert access_tokens.recall(erin.account.server_url, "erin", device_id)
    erin.close()
    sign_out("erin")
    assert access_tokens.recall(erin.account.server_url, "erin", device_id) is None
