"""POST /push: applied / duplicate / merged / conflict / rejected, delete vs edit, authorization, numbering."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app import wire
from server.models import Conflict, NoticeCounter, Record
from tests.server.sync_helpers import (
    bearer,
    complete,
    live,
    new_id,
    op,
    org_fields,
    pull_all,
    push,
    push_one,
    shared_district,
)

ORG_A, ORG_B = new_id(), new_id()


@pytest.fixture
def district(server_app: FastAPI, add_user: Callable[..., Any],
             sign_in: Callable[..., dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """alice and bob share organization A, carol has B, sup supervises; each signed in on a device."""
    return shared_district(server_app, add_user, sign_in, ORG_A, ORG_B)


@pytest.fixture
def org_a(client: TestClient, district: dict[str, dict[str, Any]]) -> int:
    """Organization A as alice first pushed it: its version (every instructor's base)."""
    result = push_one(client, district["alice"], op("social_org", ORG_A, org_fields(ORG_A)))
    assert result["status"] == wire.APPLIED
    return int(result["version"])


def _count(server_app: FastAPI, model: Any, *where: Any) -> int:
    with server_app.state.sessionmaker() as session:
        return int(session.execute(select(func.count()).select_from(model).where(*where)).scalar_one())


def test_a_new_record_is_applied_and_returned_as_stored(client: TestClient, district: dict[str, Any]) -> None:
    result = push_one(client, district["alice"], op("social_org", ORG_A, org_fields(ORG_A)))
    assert result["status"] == wire.APPLIED
    record = result["record"]
    assert (record["entity"], record["id"], record["scope"], record["deleted"]) == (
        "social_org", ORG_A, wire.org_scope(ORG_A), False)
    assert record["data"]["name"] == "爱心协会" and record["version"] == result["version"]


def test_the_same_op_twice_is_a_duplicate_with_the_first_result(client: TestClient, server_app: FastAPI,
                                                                 district: dict[str, Any]) -> None:
    sent = op("social_org", ORG_A, org_fields(ORG_A))
    first = push_one(client, district["alice"], sent)
    again = push_one(client, district["alice"], sent)
    assert again["status"] == wire.DUPLICATE and again["original"] == wire.APPLIED
    assert again["version"] == first["version"] and again["record"] == first["record"]
    assert _count(server_app, Record, Record.entity == "social_org") == 1


def test_a_rejected_op_in_the_middle_of_a_batch_leaves_the_others_applied(
        client: TestClient, server_app: FastAPI, district: dict[str, Any]) -> None:
    visit_id = new_id()
    ops = [op("social_org", ORG_A, org_fields(ORG_A)),
           op("social_org", ORG_B, org_fields(ORG_B)),  # carol's organization: not alice's
           op("visit", visit_id, complete("visit", org_id=ORG_A, summary="走访", status="DONE"))]
    results = push(client, district["alice"], *ops)
    assert [r["status"] for r in results] == [wire.APPLIED, wire.REJECTED, wire.APPLIED]
    assert results[1]["error"]["code"] == wire.FORBIDDEN and "无权" in results[1]["error"]["message"]
    assert _count(server_app, Record, Record.entity.in_(["social_org", "visit"])) == 2


def test_edits_to_different_fields_merge(client: TestClient, district: dict[str, Any], org_a: int) -> None:
    push_one(client, district["bob"], op("social_org", ORG_A, {"address": "长乐路2号"}, base=org_a))
    result = push_one(client, district["alice"], op("social_org", ORG_A, {"contact_phone": "139"}, base=org_a))
    assert result["status"] == wire.MERGED and "conflicts" not in result
    data = result["record"]["data"]
    assert (data["address"], data["contact_phone"]) == ("长乐路2号", "139")


def test_the_same_field_conflicts_both_values_kept_and_the_other_instructor_pulls_it(
        client: TestClient, server_app: FastAPI, district: dict[str, Any], org_a: int) -> None:
    push_one(client, district["alice"], op("social_org", ORG_A, {"contact_phone": "111"}, base=org_a))
    result = push_one(client, district["bob"], op("social_org", ORG_A, {"contact_phone": "222"}, base=org_a))
    assert result["status"] == wire.CONFLICT
    assert result["conflicts"] == [{"field": "contact_phone", "yours": "222", "other": "111", "kept": "222"}]
    assert result["record"]["data"]["contact_phone"] == "222"  # the later push holds the live value
    changes, _ = pull_all(client, district["alice"])
    conflicts = list(live(changes, wire.CONFLICT_ENTITY).values())
    assert len(conflicts) == 1 and conflicts[0]["scope"] == wire.org_scope(ORG_A)
    data = conflicts[0]["data"]
    assert (data["entity"], data["record_id"], data["field"], data["yours"], data["other"], data["kept"],
            data["user"]) == ("social_org", ORG_A, "contact_phone", "222", "111", "222", "bob")
    assert _count(server_app, Conflict) == 1
    carol_changes, _ = pull_all(client, district["carol"])
    assert not live(carol_changes, wire.CONFLICT_ENTITY)  # not in carol's scope


def test_a_conflict_settled_by_one_laptop_reaches_the_others_as_a_tombstone(
        client: TestClient, server_app: FastAPI, district: dict[str, Any], org_a: int) -> None:
    push_one(client, district["alice"], op("social_org", ORG_A, {"contact_phone": "111"}, base=org_a))
    clash = push_one(client, district["bob"], op("social_org", ORG_A, {"contact_phone": "222"}, base=org_a))
    _seen, cursor = pull_all(client, district["alice"])
    [conflict_id] = [change["id"] for change in _seen if change["entity"] == wire.CONFLICT_ENTITY]
    scope = wire.org_scope(ORG_A)
    settle = op(wire.CONFLICT_ENTITY, conflict_id, {}, kind=wire.OP_DELETE, scope=scope, base=clash["version"])
    # carol (another organization) may not settle it, nor may anyone edit it or settle one that is not there
    assert push_one(client, district["carol"], settle)["error"]["code"] == wire.FORBIDDEN
    wrong = op(wire.CONFLICT_ENTITY, conflict_id, {"kept": "333"}, scope=scope)
    assert push_one(client, district["bob"], wrong)["error"]["code"] == wire.VALIDATION
    unknown = push_one(client, district["bob"], op(wire.CONFLICT_ENTITY, new_id(), {}, kind=wire.OP_DELETE,
                                                   scope=scope))
    assert unknown["status"] == wire.APPLIED and unknown["record"] is None  # a restored server: nothing to do
    result = push_one(client, district["bob"], settle)
    assert result["status"] == wire.APPLIED and result["record"]["deleted"]
    assert push_one(client, district["bob"], settle)["status"] == wire.DUPLICATE
    changes, _ = pull_all(client, district["alice"], cursor)
    [settled] = live(changes, wire.CONFLICT_ENTITY).values()
    assert settled["deleted"] and settled["data"]["resolved_by"] == "bob"
    assert (settled["data"]["yours"], settled["data"]["other"]) == ("222", "111")  # both values stay
    assert _count(server_app, Conflict, Conflict.resolved_at.is_not(None)) == 1


def test_rectification_status_first_transition_wins_and_both_follow_ups_are_kept(
        client: TestClient, district: dict[str, Any], org_a: int) -> None:
    rect = new_id()
    created = push_one(client, district["alice"], op("rectification", rect, complete(
        "rectification", org_id=ORG_A, title="党建入章程", status="ISSUED")))
    base = created["version"]
    transitions = []
    for who, kind, to_status in (("alice", "ACKNOWLEDGE", "ACKNOWLEDGED"), ("bob", "START", "IN_PROGRESS")):
        follow_up = new_id()
        transitions.append(push(client, district[who],
                                op("rectification_follow_up", follow_up, complete(
                                    "rectification_follow_up", org_id=ORG_A, rectification_id=rect, kind=kind,
                                    from_status="ISSUED", to_status=to_status), kind="append"),
                                op("rectification", rect, {"status": to_status}, base=base, kind="transition")))
    assert [r["status"] for r in transitions[0]] == [wire.APPLIED, wire.APPLIED]
    assert [r["status"] for r in transitions[1]] == [wire.APPLIED, wire.CONFLICT]
    assert transitions[1][1]["conflicts"] == [
        {"field": "status", "yours": "IN_PROGRESS", "other": "ACKNOWLEDGED", "kept": "ACKNOWLEDGED"}]
    changes, _ = pull_all(client, district["sup"])
    assert live(changes, "rectification")[rect]["data"]["status"] == "ACKNOWLEDGED"
    follow_ups = live(changes, "rectification_follow_up").values()
    assert sorted(f["data"]["to_status"] for f in follow_ups) == ["ACKNOWLEDGED", "IN_PROGRESS"]


def _edited_then(client: TestClient, district: dict[str, Any], org_a: int, editor: str, deleter: str,
                 delete_first: bool) -> dict[str, Any]:
    edit = op("social_org", ORG_A, {"address": "新址"}, base=org_a)
    delete = op("social_org", ORG_A, {"deleted_at": "2026-04-01T00:00:00+00:00"}, base=org_a, kind="delete")
    if delete_first:
        push_one(client, district[deleter], delete)
        return push_one(client, district[editor], edit)
    push_one(client, district[editor], edit)
    return push_one(client, district[deleter], delete)


def test_an_instructors_delete_of_an_edited_record_leaves_it_live_with_a_conflict(
        client: TestClient, district: dict[str, Any], org_a: int) -> None:
    result = _edited_then(client, district, org_a, "bob", "alice", delete_first=False)
    assert result["status"] == wire.CONFLICT and not result["record"]["deleted"]
    assert result["record"]["data"]["address"] == "新址"
    assert [c["field"] for c in result["conflicts"]] == ["deleted_at"]


def test_a_supervisors_delete_of_an_edited_record_wins_and_keeps_the_edit(
        client: TestClient, district: dict[str, Any], org_a: int) -> None:
    result = _edited_then(client, district, org_a, "bob", "sup", delete_first=False)
    assert result["status"] == wire.CONFLICT and result["record"]["deleted"]
    assert result["record"]["data"]["address"] == "新址"  # the edit, in the tombstone's last state
    changes, _ = pull_all(client, district["bob"])
    assert [c["data"]["field"] for c in live(changes, wire.CONFLICT_ENTITY).values()] == ["deleted_at"]


def test_an_edit_of_a_record_an_instructor_deleted_restores_it(
        client: TestClient, district: dict[str, Any], org_a: int) -> None:
    result = _edited_then(client, district, org_a, "bob", "alice", delete_first=True)
    assert result["status"] == wire.CONFLICT and not result["record"]["deleted"]
    assert result["record"]["data"]["address"] == "新址" and result["record"]["data"]["deleted_at"] is None


def test_an_edit_of_a_record_a_supervisor_deleted_stays_deleted_with_the_edit_kept(
        client: TestClient, district: dict[str, Any], org_a: int) -> None:
    result = _edited_then(client, district, org_a, "bob", "sup", delete_first=True)
    assert result["status"] == wire.CONFLICT and result["record"]["deleted"]
    assert result["record"]["data"]["address"] == "新址"
    assert result["conflicts"][0]["field"] == "deleted_at"


def test_a_delete_of_an_unedited_record_is_applied(client: TestClient, district: dict[str, Any],
                                                   org_a: int) -> None:
    result = push_one(client, district["alice"], op("social_org", ORG_A, {"deleted_at": "2026-04-01T00:00:00+00:00"},
                                                    base=org_a, kind="delete"))
    assert result["status"] == wire.APPLIED and result["record"]["deleted"]


def test_an_edit_queued_while_the_devices_earlier_op_was_in_flight_does_not_clash_with_it(
        client: TestClient, district: dict[str, Any], org_a: int) -> None:
    push_one(client, district["alice"], op("social_org", ORG_A, {"address": "第一次"}, base=org_a))
    result = push_one(client, district["alice"], op("social_org", ORG_A, {"address": "第二次"}, base=org_a))
    assert result["status"] == wire.APPLIED and result["record"]["data"]["address"] == "第二次"


def test_one_batch_may_change_a_record_twice(client: TestClient, district: dict[str, Any], org_a: int) -> None:
    results = push(client, district["alice"], op("social_org", ORG_A, {"address": "一"}, base=org_a),
                   op("social_org", ORG_A, {"name": "二"}, base=org_a))
    assert [r["status"] for r in results] == [wire.APPLIED, wire.APPLIED]
    assert (results[1]["record"]["data"]["address"], results[1]["record"]["data"]["name"]) == ("一", "二")


def test_an_instructors_own_scope_id_on_anothers_record_is_refused(
        client: TestClient, server_app: FastAPI, district: dict[str, Any], org_a: int) -> None:
    hijack = op("social_org", ORG_A, {"name": "改名"}, base=org_a, scope=wire.org_scope(ORG_B))
    result = push_one(client, district["carol"], hijack)
    assert result["status"] == wire.REJECTED and result["error"]["code"] == wire.FORBIDDEN
    moved = op("social_org", ORG_A, {"org_id": ORG_B}, base=org_a, scope=wire.org_scope(ORG_B))
    assert push_one(client, district["carol"], moved)["status"] == wire.REJECTED
    with server_app.state.sessionmaker() as session:
        row = session.get(Record, ("social_org", ORG_A))
        assert row is not None and row.data["name"] == "爱心协会" and row.scope == wire.org_scope(ORG_A)


def test_moving_a_record_into_a_scope_the_pusher_cannot_write_is_refused(
        client: TestClient, district: dict[str, Any], org_a: int) -> None:
    visit = new_id()
    push_one(client, district["alice"], op("visit", visit, complete("visit", org_id=ORG_A, summary="走访")))
    result = push_one(client, district["alice"], op("visit", visit, {"org_id": ORG_B}, base=org_a))
    assert result["status"] == wire.REJECTED and result["error"]["code"] == wire.FORBIDDEN


@pytest.mark.parametrize(("entity", "fields", "code"), [
    ("no_such_table", {"id": "x"}, wire.UNSUPPORTED_ENTITY),
    ("assignment", {"org_id": ORG_A, "instructor_id": "x"}, wire.FORBIDDEN),
    ("instructor", {"username": "x"}, wire.FORBIDDEN),
    ("social_org", {"org_id": ORG_A, "no_such_field": 1}, wire.VALIDATION),
    ("attachment", complete("attachment", org_id=ORG_A, sha256="0" * 64, filename="照片.jpg"), wire.BLOB_MISSING),
])
def test_ops_the_server_refuses_say_why(client: TestClient, district: dict[str, Any], entity: str,
                                        fields: dict[str, Any], code: str) -> None:
    result = push_one(client, district["alice"], op(entity, new_id(), fields, scope=wire.org_scope(ORG_A)))
    assert result["status"] == wire.REJECTED and result["error"]["code"] == code and result["error"]["message"]


def test_a_blob_missing_op_is_not_remembered_so_its_retry_after_the_upload_applies(
        client: TestClient, district: dict[str, Any]) -> None:
    content = "照片".encode()
    sha = hashlib.sha256(content).hexdigest()
    attachment = op("attachment", new_id(), complete("attachment", org_id=ORG_A, sha256=sha, filename="a.jpg"))
    assert push_one(client, district["alice"], attachment)["error"]["code"] == wire.BLOB_MISSING
    headers = bearer(district["alice"])
    started = client.post(f"{wire.PREFIX}/uploads", headers=headers, json={"sha256": sha, "size": len(content)})
    done = client.patch(f"{wire.PREFIX}/uploads/{started.json()['upload_id']}", content=content,
                        headers={**headers, wire.OFFSET_HEADER: "0"})
    assert done.json()["complete"]
    assert push_one(client, district["alice"], attachment)["status"] == wire.APPLIED


def test_more_than_the_batch_limit_is_refused_whole(client: TestClient, district: dict[str, Any]) -> None:
    ops = [op("visit", new_id(), {"org_id": ORG_A}) for _ in range(wire.MAX_PUSH_OPS + 1)]
    answer = client.post(f"{wire.PREFIX}/push", headers=bearer(district["alice"]), json={"device_id": "d", "ops": ops})
    assert answer.status_code == 413 and "分批" in answer.json()["detail"]


def test_push_without_a_token_is_refused(client: TestClient) -> None:
    answer = client.post(f"{wire.PREFIX}/push", json={"device_id": "d", "ops": []})
    assert answer.status_code == 401


def _notice(notice_id: str, device: str, seq: int, status: str = "ISSUED") -> dict[str, Any]:
    return complete("notice", id=notice_id or None, org_id=ORG_A, kind="RECTIFICATION_NOTICE", status=status,
                    series="长党建整改", year=2026, provisional_seq=seq, provisional_device=device)


def test_two_devices_provisional_notices_get_1_and_2_and_a_retry_allocates_nothing(
        client: TestClient, server_app: FastAPI, district: dict[str, Any]) -> None:
    first = op("notice", new_id(), _notice("", "A", 1))
    first["fields"]["id"] = first["id"]
    second = op("notice", new_id(), _notice("", "B", 1))
    second["fields"]["id"] = second["id"]
    results = [push_one(client, district["alice"], first), push_one(client, district["bob"], second)]
    assert [r["status"] for r in results] == [wire.MERGED, wire.MERGED]
    assert [r["notice_number"]["confirmed_seq"] for r in results] == [1, 2]
    assert results[0]["record"]["data"]["confirmed_seq"] == 1
    retry = push_one(client, district["alice"], first)
    assert retry["status"] == wire.DUPLICATE and retry["notice_number"]["confirmed_seq"] == 1
    with server_app.state.sessionmaker() as session:
        counter = session.get(NoticeCounter, ("长党建整改", 2026))
        assert counter is not None and counter.last_seq == 2


def test_a_draft_notice_gets_no_number_until_it_is_issued(client: TestClient, district: dict[str, Any]) -> None:
    notice_id = new_id()
    draft = push_one(client, district["alice"], op("notice", notice_id, _notice(notice_id, "A", 0, "DRAFT")))
    assert draft["status"] == wire.APPLIED and "notice_number" not in draft
    issued = push_one(client, district["alice"], op("notice", notice_id, {"status": "ISSUED"},
                                                    base=draft["version"]))
    assert issued["notice_number"] == {"series": "长党建整改", "year": 2026, "confirmed_seq": 1}
    again = push_one(client, district["alice"], op("notice", notice_id, {"status": "DELIVERED"},
                                                   base=issued["version"]))
    assert "notice_number" not in again and again["record"]["data"]["confirmed_seq"] == 1


def test_a_new_party_organization_is_claimed_and_its_coverage_decides_within_the_batch(
        client: TestClient, district: dict[str, Any]) -> None:
    party, mine, theirs, member, late = new_id(), new_id(), new_id(), new_id(), new_id()
    results = push(client, district["alice"],
                   op("party_org", party, complete("party_org", party_org_id=party, name="联合支部")),
                   op("member", member, complete("member", party_org_id=party, org_id=ORG_A, name="张三")),
                   op("party_org_coverage", theirs, complete("party_org_coverage", party_org_id=party, org_id=ORG_B)),
                   op("member", late, complete("member", party_org_id=party, org_id=ORG_B, name="李四")))
    # Placed over carol's organization only, the party organization is carol's from that op on.
    assert [r["status"] for r in results] == [wire.APPLIED, wire.APPLIED, wire.APPLIED, wire.REJECTED]
    assert results[3]["error"]["code"] == wire.FORBIDDEN
    assert push_one(client, district["carol"], op("member", late, complete(
        "member", party_org_id=party, org_id=ORG_B, name="李四")))["status"] == wire.APPLIED
    assert push_one(client, district["bob"], op("party_org_coverage", mine, complete(
        "party_org_coverage", party_org_id=party, org_id=ORG_A)))["status"] == wire.REJECTED


def test_a_delete_of_a_record_never_pushed_is_kept_as_a_tombstone_in_the_ops_scope(
        client: TestClient, district: dict[str, Any]) -> None:
    visit = new_id()
    result = push_one(client, district["alice"], op("visit", visit, {"deleted_at": "2026-04-01T00:00:00+00:00"},
                                                    kind="delete", scope=wire.org_scope(ORG_A)))
    assert result["status"] == wire.APPLIED and result["record"]["deleted"]
    assert result["record"]["scope"] == wire.org_scope(ORG_A)
    assert (result["record"]["data"]["id"], result["record"]["data"]["org_id"]) == (visit, ORG_A)
    orphan = push_one(client, district["alice"], op("visit", new_id(), {}, kind="delete"))
    assert orphan["status"] == wire.REJECTED and orphan["error"]["code"] == wire.VALIDATION


def test_a_nul_in_a_value_is_rejected_and_in_an_op_id_refused(client: TestClient, district: dict[str, Any]) -> None:
    result = push_one(client, district["alice"], op("visit", new_id(), {"org_id": ORG_A, "summary": "a\x00b"}))
    assert result["status"] == wire.REJECTED and result["error"]["code"] == wire.VALIDATION
    bad = op("visit", new_id(), {"org_id": ORG_A}, op_id="\x00")
    answer = client.post(f"{wire.PREFIX}/push", headers=bearer(district["alice"]),
                         json={"device_id": "d", "ops": [bad]})
    assert answer.status_code == 422


def _refusal(result: dict[str, Any]) -> str:
    assert result["status"] == wire.REJECTED and result["error"]["code"] == wire.VALIDATION, result
    return str(result["error"]["message"])


@pytest.mark.parametrize(("values", "field", "says"), [
    ({"short_name": None}, "short_name", "不能为空值"),
    ({"org_type": "社会团体"}, "org_type", "COMMUNITY_FILED、FOUNDATION、SOCIAL_GROUP、SOCIAL_SERVICE"),
    ({"org_type": "PARTY_SCHOOL"}, "org_type", "升级区服务器"),
    ({"evaluation_grade": 5}, "evaluation_grade", "无效"),
    ({"evaluation_grade": ["4A"]}, "evaluation_grade", "无效"),
])
def test_a_value_no_client_column_can_hold_is_refused_and_the_valid_ops_apply(
        client: TestClient, district: dict[str, Any], values: dict[str, Any], field: str, says: str) -> None:
    """Stored, a null in a NOT NULL column or an unknown enum code would fail every client of the scope at
    every pull: refused per op, naming the field, for a new record and an edit alike."""
    visit = new_id()
    results = push(client, district["alice"], op("social_org", ORG_A, org_fields(ORG_A, **values)),
                   op("visit", visit, complete("visit", org_id=ORG_A, summary="走访")))
    message = _refusal(results[0])
    assert field in message and says in message
    assert results[1]["status"] == wire.APPLIED
    version = push_one(client, district["alice"], op("social_org", ORG_A, org_fields(ORG_A)))["version"]
    edit = push_one(client, district["bob"], op("social_org", ORG_A, values, base=version))
    assert field in _refusal(edit)
    changes, _ = pull_all(client, district["sup"])
    stored = live(changes, "social_org")[ORG_A]["data"]
    assert stored["short_name"] == "" and stored["org_type"] == "SOCIAL_GROUP" and stored["evaluation_grade"] is None
    assert visit in live(changes, "visit")


def test_a_new_record_missing_a_required_field_is_refused(client: TestClient, district: dict[str, Any]) -> None:
    fields = complete("visit", org_id=ORG_A, summary="走访")
    del fields["visited_on"], fields["mode"]
    message = _refusal(push_one(client, district["alice"], op("visit", new_id(), fields)))
    assert "visited_on" in message and "mode" in message
    # An edit of a stored record may carry only what changed; a bare tombstone restored must be complete.
    visit = new_id()
    created = push_one(client, district["alice"], op("visit", visit, complete("visit", org_id=ORG_A, summary="a")))
    assert push_one(client, district["alice"], op("visit", visit, {"summary": "b"}, base=created["version"]))[
        "status"] == wire.APPLIED
    bare = new_id()
    gone = push_one(client, district["alice"], op("visit", bare, {}, kind="delete", scope=wire.org_scope(ORG_A)))
    assert gone["status"] == wire.APPLIED
    assert "visited_on" in _refusal(push_one(client, district["alice"], op(
        "visit", bare, {"summary": "复活", "deleted_at": None}, base=gone["version"])))


def test_a_lone_surrogate_in_a_field_is_refused_as_invalid_input(client: TestClient, server_app: FastAPI,
                                                                  district: dict[str, Any]) -> None:
    """Valid JSON ("\\ud800") but no text: once a 500 when the answer was encoded; now 422, nothing stored."""
    sent = op("social_org", ORG_A, org_fields(ORG_A, name="爱心\ud800协会"))
    body = json.dumps({"device_id": "d", "ops": [sent]})  # escaped, as a client's JSON may carry it
    answer = client.post(f"{wire.PREFIX}/push", headers={**bearer(district["alice"]),
                                                          "Content-Type": "application/json"}, content=body)
    assert answer.status_code == 422 and "孤立的代理项" in answer.json()["detail"][0]["msg"]
    assert _count(server_app, Record, Record.id == ORG_A) == 0
