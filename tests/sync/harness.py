"""The end-to-end sync test harness (SYNC §8.12), one import for the tests:

- :class:`ServerProcess` — the real server in a subprocess on a free port (start/stop/kill/restart, admin CLI);
- :class:`FaultProxy` — a per-request programmable fault-injecting proxy in front of it;
- :class:`PostgresCluster` — a throw-away PostgreSQL cluster (the server suite runs on it and on SQLite);
- :func:`free_port`.

Each lives in its own module; this one names them together.
"""

from __future__ import annotations

from tests.sync.fault_proxy import Fault, FaultProxy, Logged
from tests.sync.ports import free_port
from tests.sync.postgres import INSTALL_COMMAND, PostgresCluster, PostgresMissing, find_bindir
from tests.sync.server_process import REPO, ServerFailed, ServerProcess, server_env

__all__ = [
    "INSTALL_COMMAND", "REPO", "Fault", "FaultProxy", "Logged", "PostgresCluster", "PostgresMissing",
    "ServerFailed", "ServerProcess", "find_bindir", "free_port", "server_env",
]
