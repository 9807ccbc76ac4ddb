"""POST /push: a batch of outbox ops (wire.PushRequest) -> one result per op (wire.PushResponse).

At most app.wire.MAX_PUSH_OPS ops (413 above it: the client halves the batch).  The batch is one transaction
(server.push); should the commit still meet a racing copy of the same op (the processed_ops key), the batch
is run once more in a fresh transaction, where that op answers ``duplicate``.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, Field, field_validator
from sqlalchemy.exc import IntegrityError

from app import wire
from server.deps import CallerDep, SessionDep
from server.push import push_batch

router = APIRouter(tags=["sync"])
NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL: invalid input (422), never a 500
TOO_MANY = f"一次最多发送 {wire.MAX_PUSH_OPS} 条修改，请分批发送"


class OpBody(BaseModel):
    op_id: str = Field(min_length=1, max_length=36, pattern=NO_NUL)
    entity: str = Field(min_length=1, max_length=40, pattern=NO_NUL)
    id: str = Field(min_length=1, max_length=36, pattern=NO_NUL)
    op: str = Field(default=wire.OP_UPSERT, pattern="^(upsert|delete|transition|append)$")
    scope: str = Field(default="", max_length=50, pattern=NO_NUL)
    base_version: int = Field(default=0, ge=0, le=2**62)
    fields: dict[str, Any] = Field(default_factory=dict)

    @field_validator("fields")
    @classmethod
    def _utf8(cls, fields: dict[str, Any]) -> dict[str, Any]:
        """A lone surrogate ("\\ud800") is valid JSON but no text: it could be stored escaped, yet never
        answered or pulled as UTF-8.  Invalid input (422), never a 500."""
        try:
            json.dumps(fields, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError("字段中含有无法表示的字符（孤立的代理项），请删除后再发送") from exc
        return fields


class PushBody(BaseModel):
    device_id: str = Field(default="", max_length=64, pattern=NO_NUL)
    ops: list[OpBody]


@router.post("/push", response_model=None)  # wire.PushResponse: a TypedDict pydantic cannot read on 3.11
def push(body: PushBody, caller: CallerDep, session: SessionDep) -> wire.PushResponse:
    if len(body.ops) > wire.MAX_PUSH_OPS:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, detail=TOO_MANY)
    ops = [op.model_dump() for op in body.ops]
    try:
        response = push_batch(session, caller, ops)
        session.commit()
    except IntegrityError:
        session.rollback()
        response = push_batch(session, caller, ops)
        session.commit()
    return response
