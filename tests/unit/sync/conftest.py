"""Sync tests: an in-memory keyring for every test (DESIGN §8: never the system's), no refresh or access
token left in memory by an earlier test, no checkpoint hook left behind."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from app.services.sync import access_tokens, checkpoints, credentials
from tests.sync.server_process import ServerProcess
from tests.unit.sync.e2e_clients import Admin, World, running_server


class MemoryKeyring(KeyringBackend):
    """A keyring that keeps passwords in a dict (priority high enough to be chosen, never written out)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    credentials._memory.clear()
    access_tokens.clear()
    yield backend
    credentials._memory.clear()
    checkpoints.clear_hooks()
    keyring.set_keyring(before)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One real server per test module (starting one costs seconds); each test has its own accounts."""
    with running_server(tmp_path_factory.mktemp("server")) as started:
        yield started


_worlds = itertools.count(1)


@pytest.fixture
def world(server: ServerProcess, migrated_template: Path) -> World:
    """The module's server with this test's own ``alice`` and ``bob``."""
    made = World(server, Admin(server), migrated_template, str(next(_worlds)))
    made.admin.create_user(made.user("alice"))
    made.admin.create_user(made.user("bob"))
    return made
