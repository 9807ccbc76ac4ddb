"""GET /meta: who the server is, what it speaks and what the caller may see (wire.Meta).

A client whose ``X-Sync-Protocol`` is outside the server's range gets 426 (server.deps.check_protocol).
"""

from __future__ import annotations

from fastapi import APIRouter

from app import wire
from server import clock
from server.deps import CallerDep, SessionDep, meta_value
from server.models import User
from server.scopes import assigned_org_ids, granted_scopes
from server.store import current_version

router = APIRouter(tags=["meta"])


@router.get("/meta", response_model=None)  # wire.Meta: a typing.TypedDict pydantic cannot read on 3.11
def meta(caller: CallerDep, session: SessionDep) -> wire.Meta:
    user = session.get(User, caller.user_id)
    assert user is not None  # current_caller checked it
    scopes = granted_scopes(session, caller)
    return wire.Meta(
        server_instance_id=meta_value(session, "instance_id"),
        server_time=clock.now_text(),
        protocol_min=wire.PROTOCOL_MIN,
        protocol_max=wire.PROTOCOL_VERSION,
        max_push_ops=wire.MAX_PUSH_OPS,
        max_page_size=wire.MAX_PAGE,
        server_version=current_version(session),
        user={"id": user.id, "username": user.username, "display_name": user.display_name, "role": user.role},
        scopes=["*"] if scopes is None else sorted(scopes),
        assigned_org_ids=assigned_org_ids(session, caller.user_id),
    )
