"""POST /integrity {entity, ids}: which of these records the server holds for the caller (wire.IntegrityResponse).

The client asks after a reset or a restore (are my offline records still there?) and before dropping old
tombstones: ``present`` (with their versions), ``gone`` (never stored, or purged) and ``forbidden`` (stored,
in a scope the caller may not read: its existence is all it learns).
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import select

from app import wire
from server.deps import CallerDep, SessionDep
from server.models import Record
from server.scopes import granted_scopes

router = APIRouter(tags=["sync"])
MAX_IDS = 1000


class IntegrityBody(BaseModel):
    entity: str = Field(min_length=1, max_length=40)
    ids: list[str] = Field(max_length=MAX_IDS)


@router.post("/integrity", response_model=None)  # wire.IntegrityResponse
def integrity(body: IntegrityBody, caller: CallerDep, session: SessionDep) -> wire.IntegrityResponse:
    granted = granted_scopes(session, caller)
    wanted = list(dict.fromkeys(body.ids))
    stored = {row.id: row for row in session.execute(
        select(Record.id, Record.scope, Record.version, Record.audience)
        .where(Record.entity == body.entity, Record.id.in_(wanted)))}
    response: wire.IntegrityResponse = {"present": [], "gone": [], "forbidden": [], "versions": {}}
    for record_id in wanted:
        row = stored.get(record_id)
        if row is None:
            response["gone"].append(record_id)
        elif granted is None or row.scope in granted or row.audience == caller.user_id:
            response["present"].append(record_id)
            response["versions"][record_id] = int(row.version)
        else:
            response["forbidden"].append(record_id)
    session.rollback()
    return response
