"""Fixtures of the end-to-end sync tests: an in-memory keyring for every test."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest

from tests.sync.memory_keyring import MemoryKeyring


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)
