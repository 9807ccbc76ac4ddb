"""POST /checksum {scopes}: per scope and entity, how many records the server holds (tombstones too), the sum
of their versions and the highest (wire.ChecksumResponse).

A client compares these with its own copy once a day (SYNC.md §8.4 item 7): a difference means a scope's
rows went missing or stale on one side, and the client repairs that scope alone — re-sends what the server
never got, reads the scope again from 0 — never a destructive full sync.  The aggregate reads the scope's rows
on the (scope, version) index: its cost follows the size of the scopes asked about, not of the district.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import Select, func, select

from app import wire
from server.api.push import NO_NUL
from server.deps import CallerDep, SessionDep
from server.models import Record
from server.scopes import granted_scopes

router = APIRouter(tags=["sync"])
COMPARED_PREFIXES = ("org:", "party:")  # the district's records are addressed per user: not compared


class ChecksumBody(BaseModel):
    scopes: list[Annotated[str, Field(min_length=1, max_length=50, pattern=NO_NUL)]] = Field(
        max_length=wire.MAX_CHECKSUM_SCOPES)


def sums_query(scopes: Iterable[str]) -> Select[str, str, int, int, int]:
    """Per (scope, entity): count, version sum, highest version — found through the scope index."""
    return (select(Record.scope, Record.entity, func.count(), func.sum(Record.version), func.max(Record.version))
            .where(Record.scope.in_(sorted(scopes)), Record.entity != wire.CONFLICT_ENTITY)
            .group_by(Record.scope, Record.entity))


@router.post("/checksum", response_model=None)  # wire.ChecksumResponse
def checksum(body: ChecksumBody, caller: CallerDep, session: SessionDep) -> wire.ChecksumResponse:
    granted = granted_scopes(session, caller)
    asked = list(dict.fromkeys(body.scopes))
    readable = {scope for scope in asked if scope.startswith(COMPARED_PREFIXES)
                and (granted is None or scope in granted)}
    response: wire.ChecksumResponse = {"sums": {scope: {} for scope in readable},
                                       "forbidden": [scope for scope in asked if scope not in readable]}
    if readable:
        for scope, entity, count, total, highest in session.execute(sums_query(readable)):
            response["sums"][scope][entity] = [int(count), int(total), int(highest)]
    session.rollback()
    return response
