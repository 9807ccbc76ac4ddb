"""A throw-away PostgreSQL cluster for the server suite (DESIGN §4: the tests run against SQLite and
PostgreSQL).

Debian's ``postgresql`` package puts initdb/pg_ctl under /usr/lib/postgresql/<version>/bin, not on PATH;
elsewhere ``pg_config --bindir`` or PATH finds them.  initdb refuses to run as root, so as root the cluster
belongs to the ``postgres`` user (``runuser``) in a temporary directory it owns.  The cluster listens on
127.0.0.1 on a free port with trust authentication, its socket in its own directory, fsync off (a test
cluster is thrown away, never recovered).  Missing PostgreSQL is a failure saying what to install, never a
skip.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.sync.ports import free_port

INSTALL_COMMAND = "sudo apt-get install -y postgresql"
SUPERUSER = "postgres"


class PostgresMissing(RuntimeError):
    pass


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", path.parent.parent.name)) or (0,)


def find_bindir() -> Path:
    """The directory holding initdb and pg_ctl (the newest Debian version first)."""
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=_version_key, reverse=True)
    if debian:
        return debian[0].parent
    pg_config = shutil.which("pg_config")
    if pg_config:
        bindir = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False).stdout
        if (Path(bindir.strip()) / "initdb").exists():
            return Path(bindir.strip())
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise PostgresMissing(f"找不到 PostgreSQL（initdb / pg_ctl）：服务器测试需要它，请先运行: {INSTALL_COMMAND}")


class PostgresCluster:
    """``start()`` makes and starts a cluster; :meth:`url` names a database in it; ``stop()`` removes it."""

    def __init__(self) -> None:
        self.bindir = find_bindir()
        self.as_root = os.geteuid() == 0
        self.port = 0
        self.root: Path | None = None

    @property
    def data_dir(self) -> Path:
        assert self.root is not None, "the cluster is not started"
        return self.root / "data"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", SUPERUSER, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result

    def start(self) -> PostgresCluster:
        # Not under pytest's tmp_path: its parents are private to root, and the postgres user must reach it.
        self.root = Path(tempfile.mkdtemp(prefix="dangjian-pg-"))
        if self.as_root:
            shutil.chown(self.root, user=SUPERUSER, group=SUPERUSER)
        self._run("initdb", "-D", str(self.data_dir), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                  "--no-locale", "--no-sync")
        self.port = free_port()
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run("pg_ctl", "-D", str(self.data_dir), "-l", str(self.root / "server.log"), "-o", options,
                  "-w", "-t", "60", "start")
        return self

    def stop(self) -> None:
        if self.root is None:
            return
        try:
            self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def __enter__(self) -> PostgresCluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL (psycopg 3) of ``database`` in this cluster."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def conninfo(self, database: str = "postgres") -> str:
        """The libpq connection string of ``database`` (psycopg.connect)."""
        return f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname={database}"

    def execute(self, sql: str, database: str = "postgres") -> list[tuple[object, ...]]:
        """Run one statement outside a transaction (CREATE/DROP DATABASE need that); rows if any."""
        import psycopg

        with psycopg.connect(self.conninfo(database), autocommit=True) as conn:
            cursor = conn.execute(sql.encode())  # bytes: a composed statement, not a literal query
            return list(cursor.fetchall()) if cursor.description else []

    def create_database(self, name: str, *, template: str | None = None) -> str:
        """Create ``name`` (a copy of ``template`` when given: fast, no migration) and return its URL."""
        _check_name(name)
        clause = f" TEMPLATE {_check_name(template)}" if template else ""
        self.execute(f"CREATE DATABASE {name}{clause}")
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self.execute(f"DROP DATABASE IF EXISTS {_check_name(name)} WITH (FORCE)")


def _check_name(name: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise ValueError(f"not a plain database name: {name!r}")
    return name
