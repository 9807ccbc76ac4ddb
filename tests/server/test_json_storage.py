"""The server's JSON columns hold Chinese as itself (server.db.json_text), and what they hold reads back —
through CAST(data AS TEXT) on either database and through a pull — as the very values written."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from app import wire
from server.store import next_version, write_record
from tests.server.sync_helpers import assign_org, bearer, new_id

ORG = "org-a"


def _stored(server_app: FastAPI, record_id: str) -> str:
    with server_app.state.sessionmaker() as session:
        stored: str = session.execute(text("SELECT CAST(data AS TEXT) FROM records WHERE id = :id"),
                                      {"id": record_id}).scalar_one()
    return stored


def test_chinese_is_stored_unescaped_and_pulled_back_unchanged(
        client: TestClient, server_app: FastAPI, add_user: Callable[..., Any],
        sign_in: Callable[..., dict[str, Any]]) -> None:
    add_user("zhang.san")
    assign_org(server_app, "zhang.san", ORG)
    visit = new_id()
    data = {"id": visit, "org_id": ORG, "summary": '走访了解 "引号" \\ 反斜杠\n换行', "status": "DONE"}
    with server_app.state.sessionmaker() as session:
        write_record(session, entity="visit", record_id=visit, scope=wire.org_scope(ORG), data=data,
                     version=next_version(session), user_id="")
        session.commit()
    stored = _stored(server_app, visit)
    assert '"summary":"走访了解 ' in stored and "\\u" not in stored
    assert json.loads(stored) == data
    answer = client.get(f"{wire.PREFIX}/pull", headers=bearer(sign_in("zhang.san")), params={"cursor": ""})
    assert answer.status_code == 200 and "走访了解".encode() in answer.content
    assert {change["id"]: change["data"] for change in answer.json()["changes"]}[visit] == data


def test_a_lone_surrogate_is_stored_escaped(server_app: FastAPI) -> None:
    """"\\ud800" is valid JSON (a request may carry it) but no UTF-8 text: the database takes it only as an
    escape, so that value keeps the escapes (server.db.json_text)."""
    visit = new_id()
    data = {"id": visit, "org_id": ORG, "summary": "走访\ud800", "status": "DONE"}
    with server_app.state.sessionmaker() as session:
        write_record(session, entity="visit", record_id=visit, scope=wire.org_scope(ORG), data=data,
                     version=next_version(session), user_id="")
        session.commit()
    stored = _stored(server_app, visit)
    assert "\\ud800" in stored and json.loads(stored) == data
