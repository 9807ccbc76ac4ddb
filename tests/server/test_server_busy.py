"""A database held by another writer past the busy timeout answers 503 with Retry-After (the client backs
off and resends), never a 500."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app import wire
from server import db
from server.app import create_app
from server.config import Settings
from tests.server.conftest import PROTOCOL


def test_a_locked_sqlite_database_answers_503(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    settings = Settings(home=home, database_url=f"sqlite:///{home / 'server.db'}")
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 50)
    app = create_app(settings)
    other = sqlite3.connect(home / "server.db", isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process in the middle of a write
        with TestClient(app) as client:
            answer = client.post(f"{wire.PREFIX}/auth/login", headers=PROTOCOL, json={
                "username": "zhang", "password": "secret-pass-1", "device_id": "d1", "device_name": ""})
            assert answer.status_code == 503 and answer.headers["Retry-After"]
            assert answer.json()["detail"] == "服务器繁忙，请稍后重试"
            other.execute("ROLLBACK")
            after = client.post(f"{wire.PREFIX}/auth/login", headers=PROTOCOL, json={
                "username": "zhang", "password": "secret-pass-1", "device_id": "d1", "device_name": ""})
            assert after.status_code == 401  # the database answers again: an unknown user
    finally:
        other.close()
        app.state.engine.dispose()
