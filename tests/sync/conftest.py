"""Fixtures of the end-to-end sync tests: an in-memory keyring for every test, no refresh token or
checkpoint hook left over from an earlier test."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest

from app.services.sync import checkpoints, credentials
from tests.sync.memory_keyring import MemoryKeyring


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    credentials._memory.clear()
    yield backend
    credentials._memory.clear()
    checkpoints.clear_hooks()
    keyring.set_keyring(before)
