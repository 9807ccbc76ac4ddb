"""server.merge: the field-level three-way merge and the delete-vs-edit rules, by example and by property."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from server.merge import BOOKKEEPING_FIELDS, DELETED_AT, EMPTY, Snapshot, merge_fields, merge_op

NOW = "2026-04-01T08:00:00+00:00"
ORG = {"id": "o1", "org_id": "o1", "name": "爱心协会", "address": "长乐路1号", "contact_phone": "123", DELETED_AT: None}


def test_a_field_unchanged_since_the_base_takes_the_ops_value() -> None:
    data, clashes = merge_fields("social_org", ORG, ORG, {"address": "长乐路2号"})
    assert data["address"] == "长乐路2号" and clashes == ()


def test_a_field_the_op_did_not_change_keeps_the_current_value() -> None:
    current = {**ORG, "address": "长乐路9号"}
    data, clashes = merge_fields("social_org", ORG, current, {"address": ORG["address"], "name": "爱心社"})
    assert data["address"] == "长乐路9号" and data["name"] == "爱心社" and clashes == ()


def test_both_changed_to_the_same_value_is_no_clash() -> None:
    current = {**ORG, "address": "新址"}
    data, clashes = merge_fields("social_org", ORG, current, {"address": "新址"})
    assert data == current and clashes == ()


def test_both_changed_differently_the_later_push_holds_the_live_value_and_both_are_kept() -> None:
    current = {**ORG, "contact_phone": "456"}
    data, clashes = merge_fields("social_org", ORG, current, {"contact_phone": "789"})
    assert data["contact_phone"] == "789"
    assert [(c.field, c.yours, c.other, c.kept) for c in clashes] == [("contact_phone", "789", "456", "789")]


def test_first_wins_fields_keep_the_current_value_and_the_op_becomes_a_clash() -> None:
    base = {"id": "r1", "org_id": "o1", "status": "ISSUED"}
    current = {**base, "status": "ACKNOWLEDGED"}
    data, clashes = merge_fields("rectification", base, current, {"status": "IN_PROGRESS"})
    assert data["status"] == "ACKNOWLEDGED"
    assert [(c.field, c.yours, c.other, c.kept) for c in clashes] == [
        ("status", "IN_PROGRESS", "ACKNOWLEDGED", "ACKNOWLEDGED")]


def test_bookkeeping_fields_never_clash() -> None:
    base = {**ORG, "updated_at": "a", "updated_by": "u1"}
    current = {**base, "updated_at": "b", "updated_by": "u2"}
    data, clashes = merge_fields("social_org", base, current, {"updated_at": "c", "updated_by": "u3"})
    assert (data["updated_at"], data["updated_by"], clashes) == ("c", "u3", ())


def test_a_new_record_is_written_as_sent() -> None:
    outcome = merge_op("social_org", op="upsert", fields=ORG, base=EMPTY, current=None, by_supervisor=False,
                       now_iso=NOW)
    assert outcome.data == ORG and not outcome.deleted and outcome.changed and not outcome.merged


def test_edits_to_different_fields_merge_and_say_so() -> None:
    current = Snapshot({**ORG, "address": "别处"})
    outcome = merge_op("social_org", op="upsert", fields={"name": "新名"}, base=Snapshot(ORG), current=current,
                       by_supervisor=False, now_iso=NOW)
    assert outcome.data["address"] == "别处" and outcome.data["name"] == "新名"
    assert outcome.merged and outcome.clashes == ()


def test_an_op_equal_to_the_current_state_changes_nothing() -> None:
    outcome = merge_op("social_org", op="upsert", fields={"name": ORG["name"]}, base=Snapshot(ORG),
                       current=Snapshot(ORG), by_supervisor=False, now_iso=NOW)
    assert not outcome.changed and not outcome.merged and outcome.clashes == ()


def test_a_plain_delete_tombstones_with_the_ops_time() -> None:
    outcome = merge_op("social_org", op="delete", fields={DELETED_AT: "2026-03-01T00:00:00+00:00"},
                       base=Snapshot(ORG), current=Snapshot(ORG), by_supervisor=False, now_iso=NOW)
    assert outcome.deleted and outcome.data[DELETED_AT] == "2026-03-01T00:00:00+00:00" and outcome.clashes == ()


def test_a_delete_without_a_time_takes_the_servers() -> None:
    outcome = merge_op("social_org", op="delete", fields={}, base=Snapshot(ORG), current=Snapshot(ORG),
                       by_supervisor=False, now_iso=NOW)
    assert outcome.deleted and outcome.data[DELETED_AT] == NOW


def test_an_instructors_delete_of_a_record_edited_since_leaves_it_live_with_a_clash() -> None:
    current = Snapshot({**ORG, "address": "别处"})
    outcome = merge_op("social_org", op="delete", fields={DELETED_AT: NOW}, base=Snapshot(ORG), current=current,
                       by_supervisor=False, now_iso=NOW)
    assert not outcome.deleted and outcome.data["address"] == "别处" and outcome.data[DELETED_AT] is None
    assert [(c.field, c.yours, c.other, c.kept) for c in outcome.clashes] == [(DELETED_AT, NOW, None, None)]


def test_a_supervisors_delete_wins_and_the_edit_stays_in_the_tombstone() -> None:
    current = Snapshot({**ORG, "address": "别处"})
    outcome = merge_op("social_org", op="delete", fields={DELETED_AT: NOW}, base=Snapshot(ORG), current=current,
                       by_supervisor=True, now_iso=NOW)
    assert outcome.deleted and outcome.deleted_by_supervisor and outcome.data["address"] == "别处"
    assert [(c.field, c.yours, c.other, c.kept) for c in outcome.clashes] == [(DELETED_AT, NOW, None, NOW)]


def test_an_edit_of_a_record_an_instructor_deleted_since_restores_it() -> None:
    tomb = Snapshot({**ORG, DELETED_AT: NOW}, deleted=True)
    outcome = merge_op("social_org", op="upsert", fields={"address": "别处"}, base=Snapshot(ORG), current=tomb,
                       by_supervisor=False, now_iso=NOW)
    assert not outcome.deleted and outcome.data["address"] == "别处" and outcome.data[DELETED_AT] is None
    assert [(c.field, c.yours, c.other, c.kept) for c in outcome.clashes] == [(DELETED_AT, None, NOW, None)]


def test_an_edit_of_a_record_a_supervisor_deleted_since_stays_deleted_with_the_edit_kept() -> None:
    tomb = Snapshot({**ORG, DELETED_AT: NOW}, deleted=True, deleted_by_supervisor=True)
    outcome = merge_op("social_org", op="upsert", fields={"address": "别处"}, base=Snapshot(ORG), current=tomb,
                       by_supervisor=False, now_iso=NOW)
    assert outcome.deleted and outcome.deleted_by_supervisor and outcome.data["address"] == "别处"
    assert [(c.field, c.yours, c.other, c.kept) for c in outcome.clashes] == [(DELETED_AT, None, NOW, NOW)]


def test_a_deliberate_restore_of_a_known_tombstone_is_no_clash() -> None:
    tomb = Snapshot({**ORG, DELETED_AT: NOW}, deleted=True)
    outcome = merge_op("social_org", op="upsert", fields={DELETED_AT: None}, base=tomb, current=tomb,
                       by_supervisor=False, now_iso=NOW)
    assert not outcome.deleted and outcome.clashes == () and outcome.changed


def test_deleting_a_tombstone_again_changes_nothing_that_matters() -> None:
    tomb = Snapshot({**ORG, DELETED_AT: NOW}, deleted=True)
    outcome = merge_op("social_org", op="delete", fields={DELETED_AT: "later"}, base=Snapshot(ORG),
                       current=tomb, by_supervisor=False, now_iso=NOW)
    assert outcome.deleted and outcome.data[DELETED_AT] == NOW and outcome.clashes == () and not outcome.changed


# Properties: over random bases, concurrent edits and ops, nothing changed by either side is lost.
NAMES = ("name", "address", "contact_phone", "status", "updated_at")
VALUES = st.one_of(st.none(), st.integers(0, 3), st.sampled_from(["a", "b", "c"]))
RECORDS = st.fixed_dictionaries({}, optional={name: VALUES for name in NAMES})


def _kept(outcome_data: dict[str, Any], clashes: tuple[Any, ...], name: str, value: Any, side: str) -> bool:
    return outcome_data.get(name) == value or any(c.field == name and getattr(c, side) == value for c in clashes)


@given(entity=st.sampled_from(["social_org", "rectification"]), base=RECORDS, theirs=RECORDS, fields=RECORDS)
def test_merge_fields_never_loses_a_value(entity: str, base: dict[str, Any], theirs: dict[str, Any],
                                          fields: dict[str, Any]) -> None:
    current = {**base, **theirs}
    data, clashes = merge_fields(entity, base, current, fields)
    for name, value in fields.items():
        if name not in BOOKKEEPING_FIELDS and value != base.get(name):
            assert _kept(data, clashes, name, value, "yours"), (name, value)
    for name, value in current.items():
        if name not in BOOKKEEPING_FIELDS and value != base.get(name):
            assert _kept(data, clashes, name, value, "other"), (name, value)
    for clash in clashes:
        assert data[clash.field] == clash.kept and clash.yours != clash.other


@given(base=RECORDS, theirs=RECORDS, fields=RECORDS, op=st.sampled_from(["upsert", "delete"]), restore=st.booleans(),
       base_deleted=st.booleans(), current_deleted=st.booleans(), by_sup=st.booleans(), deleter_sup=st.booleans())
def test_merge_op_never_loses_an_edit_or_a_delete(base: dict[str, Any], theirs: dict[str, Any],
                                                  fields: dict[str, Any], op: str, restore: bool, base_deleted: bool,
                                                  current_deleted: bool, by_sup: bool, deleter_sup: bool) -> None:
    base_snap = Snapshot({**base, DELETED_AT: NOW if base_deleted else None}, base_deleted)
    current = Snapshot({**base, **theirs, DELETED_AT: NOW if current_deleted else None}, current_deleted,
                       current_deleted and deleter_sup)
    sent = {**fields, DELETED_AT: None} if restore and op == "upsert" else fields
    outcome = merge_op("rectification", op=op, fields=sent, base=base_snap, current=current, by_supervisor=by_sup,
                       now_iso=NOW)
    for name, value in fields.items():
        if name not in BOOKKEEPING_FIELDS and value != base.get(name):
            assert _kept(outcome.data, outcome.clashes, name, value, "yours")
    for name, value in current.data.items():
        if name not in BOOKKEEPING_FIELDS | {DELETED_AT} and value != base.get(name):
            assert _kept(outcome.data, outcome.clashes, name, value, "other")
    # The delete state: the op's wish holds, or a clash on deleted_at records it; a delete or restore made by
    # someone else since the base holds, or a clash records it.
    clashed = any(c.field == DELETED_AT for c in outcome.clashes)
    assert outcome.deleted == (outcome.data[DELETED_AT] is not None)
    if outcome.deleted != (op == "delete"):
        assert clashed
    if base_deleted != current.deleted and outcome.deleted != current.deleted:
        assert clashed
