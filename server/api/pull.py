"""GET /pull?cursor=&limit=&scope=&count=: the changes in the caller's scopes after the cursor (wire.PullPage).

``count=true`` adds ``remaining``: how many changes this page and those after it hold (a client asks on its
first page, for a progress total).

``scope`` restricts the page to one granted scope: the back-fill of a scope newly granted, whose older rows
lie below the client's main cursor (403 when the scope is not granted).  A cursor this server cannot continue
answers 409 ``{"detail", "code": "reset"}``: the client starts again from an empty cursor and reconciles.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from fastapi.responses import JSONResponse, Response

from app import wire
from server.api.push import NO_NUL
from server.deps import CallerDep, SessionDep, meta_value
from server.pull import CursorReset, count_changes, decode_cursor, encode_cursor, read_page, watermark
from server.scopes import granted_scopes

router = APIRouter(tags=["sync"])
NOT_GRANTED = "此范围未分配给您，不能读取；请联系区管理员"
RESET_ADVICE = "，请从头重新同步（本机未发送的修改会保留并重新发送）"


@router.get("/pull", response_model=None)  # wire.PullPage: a TypedDict pydantic cannot read on 3.11
def pull(caller: CallerDep, session: SessionDep, cursor: str = "",
         limit: Annotated[int, Query(ge=1)] = wire.DEFAULT_PAGE,
         scope: Annotated[str | None, Query(max_length=50, pattern=NO_NUL)] = None,
         count: bool = False) -> Response:
    instance_id = meta_value(session, "instance_id")
    high_water = watermark(session)
    try:
        after = decode_cursor(cursor, instance_id, high_water)
    except CursorReset as reset:
        return JSONResponse({"detail": f"{reset}{RESET_ADVICE}", "code": "reset"}, status_code=409)
    granted = granted_scopes(session, caller)
    audience: str | None = caller.user_id
    if scope:
        if granted is not None and scope not in granted:
            raise HTTPException(status.HTTP_403_FORBIDDEN, detail=NOT_GRANTED)
        granted, audience = frozenset({scope}), None
    page = read_page(session, after, high_water, scopes=granted, audience=audience,
                     limit=min(limit, wire.MAX_PAGE))
    if count:  # the last page already knows: the common case of a sync with little to bring
        remaining = (count_changes(session, after, high_water, scopes=granted, audience=audience) if page.has_more
                     else len(page.changes))
        page = replace(page, remaining=remaining)
    session.rollback()  # read only: end the transaction (on SQLite it holds the write lock)
    # The page's JSON as read_page made it (the stored data spliced in): FastAPI's jsonable_encoder would walk
    # every value of every row again, several times the cost of the query (bench/sync.py).
    return Response(page.body(encode_cursor(instance_id, page.last_version)), media_type="application/json")
