"""The authorization matrix (DESIGN §4, SYNC.md §8.6) against the real server process on 127.0.0.1.

Instructor A has organization a1 and the party organization p1 covering it; instructor B has b1 and p2.
For every endpoint, A can neither read nor write B's organizations or party organizations — not by naming
its own scope on B's record, not by creating records under B's scopes, not by moving its own records there,
not through a back-fill pull, integrity or a blob download.  The supervisor reads everything; a request
without a valid token, or from a revoked device, gets 401.  Each (endpoint, attack) is its own case.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from app import wire
from server.models import Record, Upload
from tests.sync.harness import ServerProcess
from tests.sync.wire_district import (
    add_user,
    assign_org,
    bearer,
    complete,
    login,
    new_id,
    op,
    open_home,
    pull_all,
    push,
    upload,
)

P = wire.PREFIX
BLOB_A, BLOB_B = b"A's photo \x89PNG", b"B's photo \x89PNG secret"
OPEN_B = b"B's half-sent file"


@dataclass
class World:
    http: httpx.Client
    factory: sessionmaker[Session]
    server: ServerProcess
    ids: dict[str, str]  # a1, p1, visit_a, att_a, b1, p2, member_b, visit_b, att_b, alice
    tokens: dict[str, str]  # a, b, supervisor, admin, revoked
    sha_a: str
    sha_b: str
    open_upload_b: str  # B's upload in progress (4 bytes received)

    def stored(self, entity: str, record_id: str) -> tuple[str, int, bool, dict[str, Any]] | None:
        with self.factory() as session:
            row = session.get(Record, (entity, record_id))
            return None if row is None else (row.scope, row.version, row.deleted, dict(row.data))

    def b_ids(self) -> set[str]:
        return {self.ids[k] for k in ("b1", "p2", "member_b", "visit_b", "att_b", "coverage_b")}


def _seed(http: httpx.Client, token: str, org: str, party: str, *, sha: str, owner: str,
          member: str | None = None) -> dict[str, str]:
    """An organization, its party organization and coverage, a visit and an attachment (and a member)."""
    visit, att, coverage = new_id(), new_id(), new_id()
    ops = [
        op("social_org", org, complete("social_org", id=org, org_id=org, name=f"{owner}的协会",
                                       org_type="SOCIAL_GROUP")),
        op("party_org", party, complete("party_org", id=party, party_org_id=party, name=f"{owner}的党支部")),
        op("party_org_coverage", coverage, complete("party_org_coverage", id=coverage, org_id=org,
                                                    party_org_id=party)),
        op("visit", visit, complete("visit", id=visit, org_id=org, summary=f"{owner}的走访")),
        op("attachment", att, complete("attachment", id=att, org_id=org, sha256=sha, owner_entity="visit",
                                       owner_id=visit, filename="photo.png", mime_type="image/png", size=10)),
    ]
    if member:
        ops.append(op("member", member, complete("member", id=member, party_org_id=party, org_id=org,
                                                 name=f"{owner}的党员")))
    results = push(http, token, *ops)
    assert [r["status"] for r in results] == [wire.APPLIED] * len(ops), results
    return {"visit": visit, "att": att, "coverage": coverage}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    home: Path = tmp_path_factory.mktemp("authz") / "server"
    factory = open_home(home)
    ids = {"a1": new_id(), "p1": new_id(), "b1": new_id(), "p2": new_id(), "member_b": new_id()}
    ids["alice"] = add_user(factory, "alice")
    add_user(factory, "bob")
    add_user(factory, "sup", "supervisor")
    add_user(factory, "root", "admin")
    assign_org(factory, "alice", ids["a1"])
    assign_org(factory, "bob", ids["b1"])
    with ServerProcess(home) as server, httpx.Client(base_url=server.url, timeout=60) as http:
        tokens = {"a": login(http, "alice", "a-laptop"), "b": login(http, "bob", "b-laptop"),
                  "supervisor": login(http, "sup", "sup-laptop"), "admin": login(http, "root", "root-laptop"),
                  "revoked": login(http, "alice", "a-lost-laptop")}
        server.admin("revoke-device", "alice", "--device", "a-lost-laptop")
        sha_a, sha_b = upload(http, tokens["a"], BLOB_A), upload(http, tokens["b"], BLOB_B)
        seeded_a = _seed(http, tokens["a"], ids["a1"], ids["p1"], sha=sha_a, owner="A")
        seeded_b = _seed(http, tokens["b"], ids["b1"], ids["p2"], sha=sha_b, owner="B", member=ids["member_b"])
        ids.update(visit_a=seeded_a["visit"], att_a=seeded_a["att"], visit_b=seeded_b["visit"],
                   att_b=seeded_b["att"], coverage_b=seeded_b["coverage"])
        started = http.post(f"{P}/uploads", headers=bearer(tokens["b"]), json={
            "sha256": hashlib.sha256(OPEN_B).hexdigest(), "size": len(OPEN_B), "mime": "text/plain"}).json()
        sent = http.patch(f"{P}/uploads/{started['upload_id']}", content=OPEN_B[:4],
                          headers={**bearer(tokens["b"]), wire.OFFSET_HEADER: "0"})
        assert sent.json()["offset"] == 4, sent.text
        yield World(http, factory, server, ids, tokens, sha_a, sha_b, started["upload_id"])
    factory.kw["bind"].dispose()


# -- push: every attack is rejected forbidden and changes nothing ------------------------------------------

Attack = Callable[[World], dict[str, Any]]


def _base(w: World, entity: str, key: str) -> int:
    stored = w.stored(entity, w.ids[key])
    assert stored is not None
    return stored[1]


PUSH_ATTACKS: dict[str, tuple[Attack, tuple[str, str] | None]] = {
    # (the op A sends, the existing record it targets — which must not change — or None for a creation)
    "upsert B's org carrying A's org_id": (lambda w: op(
        "social_org", w.ids["b1"], {"name": "夺取", "org_id": w.ids["a1"]}, base=_base(w, "social_org", "b1"),
        scope=wire.org_scope(w.ids["a1"])), ("social_org", "b1")),
    "upsert B's org in B's scope": (lambda w: op(
        "social_org", w.ids["b1"], {"name": "改名"}, base=_base(w, "social_org", "b1"),
        scope=wire.org_scope(w.ids["b1"])), ("social_org", "b1")),
    "delete B's org naming A's scope": (lambda w: op(
        "social_org", w.ids["b1"], {}, kind=wire.OP_DELETE, base=_base(w, "social_org", "b1"),
        scope=wire.org_scope(w.ids["a1"])), ("social_org", "b1")),
    "upsert B's party org carrying A's party id": (lambda w: op(
        "party_org", w.ids["p2"], {"name": "夺取", "party_org_id": w.ids["p1"]}, base=_base(w, "party_org", "p2"),
        scope=wire.party_scope(w.ids["p1"])), ("party_org", "p2")),
    "edit B's party member naming A's party scope": (lambda w: op(
        "member", w.ids["member_b"], {"name": "改名"}, base=_base(w, "member", "member_b"),
        scope=wire.party_scope(w.ids["p1"])), ("member", "member_b")),
    "move B's party member into A's party": (lambda w: op(
        "member", w.ids["member_b"], {"party_org_id": w.ids["p1"], "org_id": w.ids["a1"]},
        base=_base(w, "member", "member_b")), ("member", "member_b")),
    "edit B's visit carrying A's org_id": (lambda w: op(
        "visit", w.ids["visit_b"], {"summary": "改写", "org_id": w.ids["a1"]}, base=_base(w, "visit", "visit_b"),
        scope=wire.org_scope(w.ids["a1"])), ("visit", "visit_b")),
    "delete B's attachment": (lambda w: op(
        "attachment", w.ids["att_b"], {}, kind=wire.OP_DELETE, base=_base(w, "attachment", "att_b"),
        scope=wire.org_scope(w.ids["a1"])), ("attachment", "att_b")),
    "delete B's party coverage": (lambda w: op(
        "party_org_coverage", w.ids["coverage_b"], {}, kind=wire.OP_DELETE,
        base=_base(w, "party_org_coverage", "coverage_b"), scope=wire.party_scope(w.ids["p1"])),
        ("party_org_coverage", "coverage_b")),
    "move A's visit into B's org": (lambda w: op(
        "visit", w.ids["visit_a"], {"org_id": w.ids["b1"]}, base=_base(w, "visit", "visit_a")),
        ("visit", "visit_a")),
    "create a visit under B's org": (lambda w: op(
        "visit", new_id(), complete("visit", org_id=w.ids["b1"], summary="冒名走访")), None),
    "create an org record inside B's org scope": (lambda w: op(
        "social_org", new_id(), complete("social_org", org_id=w.ids["b1"], name="冒名组织")), None),
    "create a member under B's party": (lambda w: op(
        "member", new_id(), complete("member", party_org_id=w.ids["p2"], org_id=w.ids["a1"], name="冒名党员")), None),
    "create a coverage putting A's org under B's party": (lambda w: op(
        "party_org_coverage", new_id(), complete("party_org_coverage", party_org_id=w.ids["p2"],
                                                 org_id=w.ids["a1"])), None),
    "create an attachment under B's org naming B's blob": (lambda w: op(
        "attachment", new_id(), complete("attachment", org_id=w.ids["b1"], sha256=w.sha_b, owner_entity="visit",
                                         owner_id=w.ids["visit_b"], filename="x.png", size=10)), None),
    "assign B's org to A": (lambda w: op(
        "assignment", new_id(), complete("assignment", org_id=w.ids["b1"], instructor_id=w.ids["alice"],
                                         since="2026-01-01")), None),
}


@pytest.mark.parametrize("attack", list(PUSH_ATTACKS))
def test_push_attack_is_rejected_forbidden_and_changes_nothing(world: World, attack: str) -> None:
    build, target = PUSH_ATTACKS[attack]
    sent = build(world)
    before = world.stored(*_target_key(world, target)) if target else None
    (result,) = push(world.http, world.tokens["a"], sent)
    assert result["status"] == wire.REJECTED, result
    assert result["error"]["code"] == wire.FORBIDDEN, result
    assert "record" not in result or result["record"] is None, "a refusal shows nothing of the record"
    if target:
        assert world.stored(*_target_key(world, target)) == before, "the record did not move or change"
    else:
        assert world.stored(sent["entity"], sent["id"]) is None, "nothing was created"


def _target_key(w: World, target: tuple[str, str] | None) -> tuple[str, str]:
    assert target is not None
    return target[0], w.ids[target[1]]


def test_a_writes_its_own_records(world: World) -> None:
    """The matrix's control: the same kinds of op on A's own scopes are applied."""
    visit = new_id()
    results = push(world.http, world.tokens["a"],
                   op("visit", visit, complete("visit", org_id=world.ids["a1"], summary="自己的走访")),
                   op("party_org", world.ids["p1"], {"name": "改名"}, base=_base(world, "party_org", "p1")))
    assert [r["status"] for r in results] == [wire.APPLIED, wire.APPLIED], results


# -- reading: pull, back-fill pull, integrity, blobs, uploads, meta -----------------------------------------


def test_pull_serves_a_nothing_of_bs(world: World) -> None:
    changes = pull_all(world.http, world.tokens["a"])
    scopes = {c["scope"] for c in changes}
    assert wire.org_scope(world.ids["a1"]) in scopes and wire.party_scope(world.ids["p1"]) in scopes
    assert not scopes & {wire.org_scope(world.ids["b1"]), wire.party_scope(world.ids["p2"])}
    assert not {c["id"] for c in changes} & world.b_ids()
    assert world.sha_b not in str(changes)


@pytest.mark.parametrize("scope_of", ["b1", "p2"])
def test_a_back_fill_pull_of_bs_scope_is_forbidden(world: World, scope_of: str) -> None:
    scope = wire.org_scope(world.ids["b1"]) if scope_of == "b1" else wire.party_scope(world.ids["p2"])
    answer = world.http.get(f"{P}/pull", headers=bearer(world.tokens["a"]), params={"cursor": "", "scope": scope})
    assert answer.status_code == 403
    assert world.ids[scope_of] not in answer.text


@pytest.mark.parametrize(("entity", "key"), [("social_org", "b1"), ("party_org", "p2"), ("member", "member_b"),
                                             ("visit", "visit_b"), ("attachment", "att_b")])
def test_integrity_on_bs_ids_says_forbidden_without_versions(world: World, entity: str, key: str) -> None:
    answer = world.http.post(f"{P}/integrity", headers=bearer(world.tokens["a"]),
                             json={"entity": entity, "ids": [world.ids[key]]})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"present": [], "gone": [], "forbidden": [world.ids[key]], "versions": {}}


def test_checksum_of_bs_scopes_says_forbidden_and_sums_nothing(world: World) -> None:
    theirs = [wire.org_scope(world.ids["b1"]), wire.party_scope(world.ids["p2"])]
    answer = world.http.post(f"{P}/checksum", headers=bearer(world.tokens["a"]), json={"scopes": theirs})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"sums": {}, "forbidden": theirs}


@pytest.mark.parametrize("range_header", [None, "bytes=0-3"])
def test_downloading_a_blob_only_bs_attachment_names_is_forbidden(world: World, range_header: str | None) -> None:
    headers = bearer(world.tokens["a"]) | ({"Range": range_header} if range_header else {})
    answer = world.http.get(f"{P}/blobs/{world.sha_b}", headers=headers)
    assert answer.status_code == 403
    assert BLOB_B[:4] not in answer.content
    own = world.http.get(f"{P}/blobs/{world.sha_a}", headers=headers)
    assert own.status_code in (200, 206) and BLOB_A.startswith(own.content)


def _upload_offset_of_b(world: World) -> int:
    with world.factory() as session:
        row = session.get(Upload, world.open_upload_b)
        assert row is not None
        return row.offset


@pytest.mark.parametrize("method", ["HEAD", "PATCH"])
def test_bs_upload_in_progress_is_not_found_for_a(world: World, method: str) -> None:
    headers = {**bearer(world.tokens["a"]), wire.OFFSET_HEADER: "4"}
    answer = world.http.request(method, f"{P}/uploads/{world.open_upload_b}", headers=headers,
                                content=b"junk" if method == "PATCH" else None)
    assert answer.status_code == 404
    assert _upload_offset_of_b(world) == 4, "B's upload is untouched"


def test_starting_the_same_content_as_bs_open_upload_gets_a_session_of_its_own(world: World) -> None:
    answer = world.http.post(f"{P}/uploads", headers=bearer(world.tokens["a"]), json={
        "sha256": hashlib.sha256(OPEN_B).hexdigest(), "size": len(OPEN_B), "mime": "text/plain"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["upload_id"] != world.open_upload_b
    assert answer.json()["offset"] == 0, "nothing of B's upload shows"


def test_meta_grants_a_only_its_own_scopes(world: World) -> None:
    meta = world.http.get(f"{P}/meta", headers=bearer(world.tokens["a"])).json()
    assert meta["assigned_org_ids"] == [world.ids["a1"]]
    assert set(meta["scopes"]) == {wire.DISTRICT_SCOPE, wire.org_scope(world.ids["a1"]),
                                   wire.party_scope(world.ids["p1"])}


# -- the supervisor reads everything ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["supervisor", "admin"])
def test_the_supervisor_reads_everything(world: World, who: str) -> None:
    token = world.tokens[who]
    ids = {c["id"] for c in pull_all(world.http, token)}
    assert world.b_ids() <= ids and {world.ids["a1"], world.ids["p1"], world.ids["visit_a"]} <= ids
    scoped = {c["id"] for c in pull_all(world.http, token, scope=wire.org_scope(world.ids["b1"]))}
    assert {world.ids["b1"], world.ids["visit_b"], world.ids["att_b"]} <= scoped
    blob = world.http.get(f"{P}/blobs/{world.sha_b}", headers=bearer(token))
    assert blob.status_code == 200 and blob.content == BLOB_B
    check = world.http.post(f"{P}/integrity", headers=bearer(token),
                            json={"entity": "social_org", "ids": [world.ids["a1"], world.ids["b1"]]}).json()
    assert sorted(check["present"]) == sorted([world.ids["a1"], world.ids["b1"]]) and not check["forbidden"]
    assert world.http.get(f"{P}/meta", headers=bearer(token)).json()["scopes"] == ["*"]


# -- no valid token: 401 everywhere ----------------------------------------------------------------------

ENDPOINTS: dict[str, Callable[[World], tuple[str, str, dict[str, Any]]]] = {
    "meta": lambda w: ("GET", f"{P}/meta", {}),
    "push": lambda w: ("POST", f"{P}/push", {"json": {"device_id": "d", "ops": [op(
        "visit", new_id(), complete("visit", org_id=w.ids["a1"]))]}}),
    "pull": lambda w: ("GET", f"{P}/pull", {"params": {"cursor": ""}}),
    "pull ?scope=": lambda w: ("GET", f"{P}/pull", {"params": {"cursor": "", "scope": wire.org_scope(w.ids["a1"])}}),
    "blob HEAD": lambda w: ("HEAD", f"{P}/blobs/{w.sha_a}", {}),
    "blob GET": lambda w: ("GET", f"{P}/blobs/{w.sha_a}", {}),
    "upload start": lambda w: ("POST", f"{P}/uploads", {"json": {
        "sha256": hashlib.sha256(b"new").hexdigest(), "size": 3, "mime": "text/plain"}}),
    "upload HEAD": lambda w: ("HEAD", f"{P}/uploads/{w.open_upload_b}", {}),
    "upload PATCH": lambda w: ("PATCH", f"{P}/uploads/{w.open_upload_b}", {
        "content": OPEN_B[4:], "headers": {wire.OFFSET_HEADER: "4"}}),
    "integrity": lambda w: ("POST", f"{P}/integrity", {"json": {"entity": "social_org", "ids": [w.ids["a1"]]}}),
    "checksum": lambda w: ("POST", f"{P}/checksum", {"json": {"scopes": [wire.org_scope(w.ids["a1"])]}}),
}
CREDENTIALS: dict[str, Callable[[World], dict[str, str]]] = {
    "no token": lambda w: {wire.PROTOCOL_HEADER: str(wire.PROTOCOL_VERSION)},
    "forged token": lambda w: bearer(w.tokens["a"][:-4] + "AAAA"),
    "revoked device": lambda w: bearer(w.tokens["revoked"]),
}


@pytest.mark.parametrize("credential", list(CREDENTIALS))
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_without_a_valid_token_every_endpoint_answers_401(world: World, endpoint: str, credential: str) -> None:
    method, path, extra = ENDPOINTS[endpoint](world)
    headers = {**extra.pop("headers", {}), **CREDENTIALS[credential](world)}
    offset_before = _upload_offset_of_b(world)
    answer = world.http.request(method, path, headers=headers, **extra)
    assert answer.status_code == 401, answer.text
    if method != "HEAD":
        assert answer.json()["detail"], "says why"
        assert BLOB_A not in answer.content
    assert _upload_offset_of_b(world) == offset_before
