"""Session-wide fixtures shared by the server suite and the end-to-end sync tests (the root conftest
imports them, so one PostgreSQL cluster serves the whole run and starts only when a test asks for it)."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest

from tests.sync.postgres import PostgresCluster

DATABASES = ("sqlite", "postgresql")
_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    with PostgresCluster() as cluster:
        yield cluster


def new_database_name(prefix: str = "test") -> str:
    """A database name unique in this run (and among parallel runs on one cluster)."""
    return f"{prefix}_{os.getpid()}_{next(_numbers)}"
