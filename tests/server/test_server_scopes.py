"""What /meta reports an instructor may see, and who may write a scope (server.scopes)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app import wire
from server.assignments import assign, unassign
from server.deps import Caller
from server.models import OrgAssignment, Record, ScopeCreator
from server.scopes import can_write, granted_scopes
from server.store import next_version, write_record
from server.users import get_user
from tests.server.conftest import bearer

META = f"{wire.PREFIX}/meta"


def _coverage(session: Session, version: int, coverage_id: str, org_id: str, party_id: str, *,
              deleted: bool = False) -> None:
    data = {name: None for name in wire.ENTITY_FIELDS["party_org_coverage"]}
    data.update(id=coverage_id, org_id=org_id, party_org_id=party_id)
    write_record(session, entity="party_org_coverage", record_id=coverage_id, scope=wire.party_scope(party_id),
                 data=data, version=version, user_id="", deleted=deleted)


def _caller(session: Session, username: str) -> Caller:
    user = get_user(session, username)
    return Caller(user_id=user.id, username=user.username, role=user.role, device_id="d")


def test_meta_lists_assigned_orgs_and_the_party_orgs_covering_them(client: TestClient, add_user: Any,
                                                                   sign_in: Any, server_app: Any) -> None:
    add_user("zhang.san")
    with server_app.state.sessionmaker() as session:
        version = next_version(session)
        user = get_user(session, "zhang.san")
        assign(session, user, "org-a", version)
        assign(session, user, "org-b", version)
        _coverage(session, version, "cov-1", "org-a", "party-1")
        _coverage(session, version, "cov-2", "org-elsewhere", "party-2")
        _coverage(session, version, "cov-3", "org-b", "party-3", deleted=True)
        session.commit()
    answer = client.get(META, headers=bearer(sign_in("zhang.san")))
    assert answer.status_code == 200
    meta = answer.json()
    assert meta["assigned_org_ids"] == ["org-a", "org-b"]
    assert meta["scopes"] == sorted(["district", "org:org-a", "org:org-b", "party:party-1"])
    assert meta["protocol_min"] == wire.PROTOCOL_MIN and meta["protocol_max"] == wire.PROTOCOL_VERSION
    assert meta["server_version"] == version and meta["server_instance_id"]
    assert meta["max_push_ops"] == wire.MAX_PUSH_OPS and meta["user"]["role"] == "instructor"


def test_a_supervisor_sees_everything(client: TestClient, add_user: Any, sign_in: Any, server_app: Any) -> None:
    add_user("wang.wu", role="supervisor")
    meta = client.get(META, headers=bearer(sign_in("wang.wu"))).json()
    assert meta["scopes"] == ["*"] and meta["assigned_org_ids"] == []
    with server_app.state.sessionmaker() as session:
        caller = _caller(session, "wang.wu")
        assert granted_scopes(session, caller) is None
        assert can_write(session, caller, "district")


def test_unassigning_ends_the_scope_and_the_assignment_record(add_user: Any, server_app: Any) -> None:
    add_user("zhang.san")
    with server_app.state.sessionmaker() as session:
        user = get_user(session, "zhang.san")
        assign(session, user, "org-a", next_version(session))
        session.commit()
        assert "org:org-a" in (granted_scopes(session, _caller(session, "zhang.san")) or ())
        assert unassign(session, user, "org-a", next_version(session))
        session.commit()
        assert "org:org-a" not in (granted_scopes(session, _caller(session, "zhang.san")) or ())
        record = session.query(Record).filter_by(entity="assignment").one()
        assert record.audience == user.id and record.deleted  # made and ended the same day: withdrawn
        assert not unassign(session, user, "org-a", next_version(session))


def test_an_instructor_writes_granted_and_new_scopes_only(add_user: Any, server_app: Any) -> None:
    add_user("zhang.san")
    add_user("li.si")
    with server_app.state.sessionmaker() as session:
        version = next_version(session)
        assign(session, get_user(session, "li.si"), "org-theirs", version)
        session.commit()
        caller = _caller(session, "zhang.san")
        assert not can_write(session, caller, "district")  # read-only for instructors
        assert not can_write(session, caller, "org:org-theirs")
        assert can_write(session, caller, "org:org-new")  # never seen: may be created offline
        assert session.get(ScopeCreator, "org:org-new") is None  # asked without a version: nothing claimed
        version = next_version(session)
        assert can_write(session, caller, "org:org-new", version=version)
        assert can_write(session, caller, "party:party-new", version=version)
        session.commit()
        assert session.get(OrgAssignment, (caller.user_id, "org-new")) is not None
        claimed = session.query(Record).filter_by(entity="assignment", scope="org:org-new").one()
        assert claimed.audience == caller.user_id and claimed.data["instructor_id"] == caller.user_id
        assert claimed.data["updated_by"] == "zhang.san" and claimed.data["until"] is None
        assert {"org:org-new", "party:party-new"} <= (granted_scopes(session, caller) or frozenset())
        other = _caller(session, "li.si")
        assert not can_write(session, other, "org:org-new")  # claimed: no longer new
        assert not can_write(session, other, "party:party-new")


def test_a_claimed_org_goes_with_its_assignment(add_user: Any, server_app: Any) -> None:
    add_user("zhang.san")
    with server_app.state.sessionmaker() as session:
        caller = _caller(session, "zhang.san")
        assert can_write(session, caller, "org:org-new", version=next_version(session))
        session.commit()
        assert unassign(session, get_user(session, "zhang.san"), "org-new", next_version(session))
        session.commit()
        assert "org:org-new" not in (granted_scopes(session, caller) or frozenset())
        assert not can_write(session, caller, "org:org-new")  # known to the district now: not new


def test_a_created_party_org_is_kept_until_coverage_places_it(add_user: Any, server_app: Any) -> None:
    add_user("zhang.san")
    with server_app.state.sessionmaker() as session:
        caller = _caller(session, "zhang.san")
        assert can_write(session, caller, "party:party-new", version=next_version(session))
        session.commit()
        assert "party:party-new" in (granted_scopes(session, caller) or frozenset())
        _coverage(session, next_version(session), "cov-x", "org-of-someone-else", "party-new")
        session.commit()
        assert "party:party-new" not in (granted_scopes(session, caller) or frozenset())
        assign(session, get_user(session, "zhang.san"), "org-of-someone-else", next_version(session))
        session.commit()
        assert "party:party-new" in (granted_scopes(session, caller) or frozenset())
