"""Server fixtures: a temporary server home, the app on it and an in-process client (FastAPI's TestClient).

Users are made through server.users (what ``admin create-user`` runs); ``sign_in`` logs in as a device.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app import wire
from server import security
from server.app import create_app
from server.config import Settings
from server.db import make_engine, upgrade
from server.models import User
from server.users import create_user
from tests.sync.fixtures import DATABASES, new_database_name
from tests.sync.postgres import PostgresCluster

PASSWORD = "correct horse 1"
PROTOCOL = {wire.PROTOCOL_HEADER: str(wire.PROTOCOL_VERSION)}


@pytest.fixture(autouse=True)
def _quick_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 at its lightest in-process: the production cost (~0.1 s a hash, seconds on a loaded CI box)
    bought nothing here.  Hashes still verify by the parameters they carry; real server processes started
    by tests keep the production cost."""
    monkeypatch.setattr(security, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Every server test runs twice: on embedded SQLite in the server home and on an empty database of the
    session's PostgreSQL cluster (DESIGN §4: the suite runs against both)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'server-home' / 'server.db'}"
        return
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    name = new_database_name()
    yield cluster.create_database(name)
    cluster.drop_database(name)


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(home=tmp_path / "server-home", database_url=database_url)


@pytest.fixture
def server_app(settings: Settings) -> Iterator[FastAPI]:
    app = create_app(settings)
    yield app
    app.state.engine.dispose()


@pytest.fixture
def client(server_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(server_app) as test_client:
        yield test_client


@pytest.fixture
def session(server_app: FastAPI) -> Iterator[Session]:
    with server_app.state.sessionmaker() as db_session:
        yield db_session


@pytest.fixture
def add_user(server_app: FastAPI) -> Callable[..., User]:
    def add(username: str, role: str = "instructor", *, display_name: str = "") -> User:
        with server_app.state.sessionmaker() as db_session:
            user = create_user(db_session, username, role=role, password=PASSWORD, display_name=display_name)
            db_session.commit()
            return user

    return add


@pytest.fixture
def sign_in(client: TestClient) -> Callable[..., dict[str, Any]]:
    def login(username: str, device_id: str = "device-1", password: str = PASSWORD) -> dict[str, Any]:
        answer = client.post(f"{wire.PREFIX}/auth/login", headers=PROTOCOL,
                             json={"username": username, "password": password, "device_id": device_id,
                                   "device_name": "测试笔记本"})
        assert answer.status_code == 200, answer.text
        pair: dict[str, Any] = answer.json()
        return pair

    return login


def bearer(pair: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {pair['access_token']}", **PROTOCOL}


@pytest.fixture(scope="module")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """An embedded server database at the newest schema (the plan checked is SQLite's, the default)."""
    home = tmp_path_factory.mktemp("plan-home")
    settings = Settings(home=home, database_url=f"sqlite:///{home / 'server.db'}")
    upgrade(settings)
    engine = make_engine(settings)
    yield engine
    engine.dispose()
