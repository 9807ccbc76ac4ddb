"""Migration 0010: a database holding old-shape party rows (flags, free text, typed counts) comes out with
terms, committee seats, 党小组 rows, dated member changes and attendance snapshots — nothing typed is lost,
and what the migration wrote is queued for the server (except in a demo file)."""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from app import paths
from app.services.core.database import open_database
from app.services.meetings.attendance import meeting_counts, voting_rights_on

P1, P2 = "party-1", "party-2"
NAMESPACE = uuid.UUID("6f0c7f52-6b1e-4b8e-9d8a-0a1d2e3f0010")


def _insert(conn: Any, table: str, **values: object) -> None:
    """Insert with every other NOT NULL column given a neutral value (the schema of that revision)."""
    for _cid, name, col_type, notnull, default, _pk in conn.execute(text(f"PRAGMA table_info({table})")):
        if notnull and default is None and name not in values:
            numeric = col_type.upper().startswith(("INTEGER", "BOOLEAN", "FLOAT"))
            values[name] = 0 if numeric else "2026-01-01 00:00:00" if col_type.upper() == "DATETIME" else ""
    names = ", ".join(values)
    conn.execute(text(f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + n for n in values)})"), values)


def _member(conn: Any, member_id: str, name: str, kind: str, joined: str | None, full: str | None, *,
            probation: int = 0, transferred: int = 1, group: str = "", role: str = "", party: str = P1) -> None:
    _insert(conn, "member", id=member_id, party_org_id=party, org_id="org-1", name=name, kind=kind, joined_on=joined,
            full_member_on=full, on_probation_discipline=probation, relation_transferred=transferred,
            party_group=group, committee_role=role, server_version=4)


def _old_database(path: Path, *, demo: bool = False) -> None:
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", str(paths.migrations_dir()))
        config.attributes["connection"] = conn
        command.upgrade(config, "0009")
        if demo:
            conn.execute(text("INSERT INTO sync_state (key, value) VALUES ('demo_data', '1')"))
        _insert(conn, "party_org", id=P1, party_org_id=P1, name="中共甲协会支部委员会", level="BRANCH",
                formation="SINGLE", established_on="2015-03-01", term_years=3, term_started_on="2024-03-01",
                secretary_name="王芳", server_version=2)
        _insert(conn, "party_org", id=P2, party_org_id=P2, name="第一联合支部", level="BRANCH", formation="JOINT",
                established_on="2020-06-01", term_years=3, secretary_name="外聘的书记")
        _member(conn, "m-wang", "王芳", "FULL", "2010-01-01", "2011-01-01", group="第一党小组", role="书记")
        _member(conn, "m-sun", "孙丽", "FULL", "2012-05-01", "2013-05-01", group="第一党小组", role="委员")
        _member(conn, "m-li", "李明", "PROBATIONARY", "2025-10-01", None, group="第一党小组")
        _member(conn, "m-zhao", "赵强", "FULL", "2000-01-01", "2001-01-01", probation=1)
        _member(conn, "m-qian", "钱亮", "FULL", "2005-01-01", "2006-01-01", transferred=0)
        _member(conn, "m-zhou", "周新", "FULL", None, None)
        _insert(conn, "meeting", id="g1", party_org_id=P1, kind="GENERAL_MEETING", started_at="2026-03-31 19:00:00",
                expected_count=6, present_count=4, is_election=1, server_version=3)
        for member_id, status, reason in (("m-wang", "PRESENT", ""), ("m-sun", "ABSENT", "出差"),
                                          ("m-li", "PRESENT", ""), ("m-zhao", "PRESENT", ""),
                                          ("m-qian", "PRESENT", ""), ("m-zhou", "ABSENT", "病假")):
            _insert(conn, "meeting_attendance", id=f"a-{member_id}", party_org_id=P1, meeting_id="g1",
                    member_id=member_id, status=status, absence_reason=reason)
        _insert(conn, "meeting_attendance", id="a-wang-twice", party_org_id=P1, meeting_id="g1", member_id="m-wang",
                status="PRESENT")
        _insert(conn, "vote", id="v1", party_org_id=P1, meeting_id="g1", motion="选举新一届支部委员会", eligible=6,
                present=4, yes=4)
        _insert(conn, "meeting", id="g2", party_org_id=P1, kind="GROUP_MEETING", started_at="2026-04-08 12:00:00",
                expected_count=3, present_count=2, party_group="第一党小组", minutes="学习讨论")
        conn.execute(text(
            "INSERT INTO outbox (op_id, entity, record_id, scope_key, scope_id, op, base_version, fields, state, "
            "attempts, last_error, created_at) VALUES ('op-wang', 'member', 'm-wang', 'party_org_id', :p, 'upsert', "
            "4, :f, 'pending', 0, '', '2026-03-30 08:00:00')"),
            {"p": P1, "f": json.dumps({"name": "王芳", "kind": "FULL", "committee_role": "书记", "phone": "1"})})
    engine.dispose()


def _rows(conn: Any, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in conn.execute(text(sql))]


def test_old_party_rows_become_the_new_model(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _old_database(path)
    database = open_database(path)
    try:
        with database.engine.connect() as conn:
            terms = _rows(conn, "SELECT party_org_id, term_no, started_on, due_on, renewed_on, note "
                                "FROM party_org_term ORDER BY party_org_id")
            assert terms == [(P1, 4, "2024-03-01", "2027-03-01", None, ""),  # 2015 + 3 × 3: the 4th term
                             (P2, 1, "2020-06-01", "2023-06-01", None,
                              "迁移自旧记录：本届开始日期不详，请核对补录；迁移前登记的书记：外聘的书记")]
            term_id = str(uuid.uuid5(NAMESPACE, f"party_org_term:{P1}"))
            assert _rows(conn, "SELECT term_id, member_id, role, first_day FROM committee_member ORDER BY role") == [
                (term_id, "m-sun", "MEMBER", "2024-03-01"), (term_id, "m-wang", "SECRETARY", "2024-03-01")]
            [(group_id, group_name)] = _rows(conn, "SELECT id, name FROM party_group")
            assert group_name == "第一党小组"
            assert _rows(conn, "SELECT id FROM member WHERE party_group_id IS NOT NULL ORDER BY id") == [
                ("m-li",), ("m-sun",), ("m-wang",)]
            assert _rows(conn, "SELECT party_group_id FROM meeting WHERE id = 'g2'") == [(group_id,)]
            assert _rows(conn, "SELECT member_id, kind, changed_on FROM member_kind_change ORDER BY member_id, "
                               "changed_on") == [
                ("m-li", "PROBATIONARY", "2025-10-01"), ("m-qian", "PROBATIONARY", "2005-01-01"),
                ("m-qian", "FULL", "2006-01-01"), ("m-sun", "PROBATIONARY", "2012-05-01"),
                ("m-sun", "FULL", "2013-05-01"), ("m-wang", "PROBATIONARY", "2010-01-01"),
                ("m-wang", "FULL", "2011-01-01"), ("m-zhao", "PROBATIONARY", "2000-01-01"),
                ("m-zhao", "FULL", "2001-01-01")]  # 周新 has no date: no guessed row
            assert _rows(conn, "SELECT member_id, first_day, last_day FROM member_probation") == [
                ("m-zhao", "2000-01-01", None)]
            assert _rows(conn, "SELECT member_id, changed_on, transferred_in FROM member_relation_change") == [
                ("m-qian", "2005-01-01", 0)]
            snapshots = dict(_rows(conn, "SELECT member_id, had_vote FROM meeting_attendance "
                                         "WHERE deleted_at IS NULL"))
            assert snapshots == {"m-wang": 1, "m-sun": 1, "m-li": 0, "m-zhao": 0, "m-qian": 0, "m-zhou": 1}
            assert _rows(conn, "SELECT deleted_at IS NOT NULL FROM meeting_attendance WHERE id = 'a-wang-twice'") == [
                (1,)]  # the second live row of one member: tombstoned
            assert _rows(conn, "SELECT id, status, minutes FROM meeting ORDER BY id") == [
                ("g1", "DONE", ""),
                ("g2", "DONE", "学习讨论\n【迁移前登记：应到 3 人，实到 2 人；无逐人签到记录，应到/实到须按签到补录】")]
            assert _rows(conn, "SELECT kind, yes, written_yes FROM vote") == [("ELECTION", 4, 0)]
        with database.session_factory() as session:
            assert meeting_counts(session, "g1") == (3, 1)  # 王芳, 孙丽 (away), 周新 (away): from the rows
            rights = voting_rights_on(session, P1, date(2026, 3, 31))
        assert not rights["m-zhao"].has_vote and not rights["m-qian"].has_vote and not rights["m-zhou"].has_vote
        assert rights["m-wang"].has_vote and rights["m-sun"].has_vote and not rights["m-li"].has_vote
    finally:
        database.close()


def test_what_the_migration_wrote_is_queued_and_dropped_fields_leave_pending_entries(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _old_database(path)
    database = open_database(path)
    try:
        with database.engine.connect() as conn:
            entries = {(e, r): (op, base, json.loads(f)) for e, r, op, base, f in conn.execute(text(
                "SELECT entity, record_id, op, base_version, fields FROM outbox"))}
            created = {e for (e, _r), (_op, base, _f) in entries.items() if base == 0}
            assert created >= {"party_org_term", "committee_member", "party_group", "member_kind_change",
                               "member_probation", "member_relation_change"}
            op, base, wang = entries[("member", "m-wang")]  # merged into the pending entry, dropped fields gone
            assert (op, base) == ("upsert", 4)
            assert wang == {"name": "王芳", "phone": "1", "party_group_id": wang["party_group_id"]}
            term = entries[("party_org_term", str(uuid.uuid5(NAMESPACE, f"party_org_term:{P1}")))][2]
            assert term["started_on"] == "2024-03-01" and term["party_org_id"] == P1
            assert entries[("meeting", "g1")] == ("upsert", 3, {"status": "DONE"})
            assert entries[("meeting_attendance", "a-wang-twice")][0] == "delete"
            assert entries[("meeting_attendance", "a-m-li")][2] == {"had_vote": 0, "vote_note": "预备党员，无表决权"}
            count = conn.execute(text("SELECT count(*) FROM outbox")).scalar()
        assert count == len(entries)  # one entry per record
    finally:
        database.close()


def test_a_demo_database_queues_nothing(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    _old_database(path, demo=True)
    database = open_database(path)
    try:
        with database.engine.connect() as conn:
            assert _rows(conn, "SELECT op_id FROM outbox") == [("op-wang",)]  # only the entry that was there
            assert conn.execute(text("SELECT count(*) FROM party_org_term")).scalar() == 2
    finally:
        database.close()


def test_downgrade_gives_the_flags_and_counts_back(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _old_database(path)
    open_database(path).close()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", str(paths.migrations_dir()))
        config.attributes["connection"] = conn
        command.downgrade(config, "0009")
        members = {r[0]: r[1:] for r in conn.execute(text(
            "SELECT id, kind, full_member_on, on_probation_discipline, relation_transferred, party_group, "
            "committee_role FROM member"))}
        assert members["m-wang"] == ("FULL", "2011-01-01", 0, 1, "第一党小组", "书记")
        assert members["m-li"] == ("PROBATIONARY", None, 0, 1, "第一党小组", "")
        assert members["m-zhao"][2] == 1 and members["m-qian"][3] == 0
        assert _rows(conn, "SELECT term_started_on, secretary_name FROM party_org WHERE id = 'party-1'") == [
            ("2024-03-01", "王芳")]
        assert _rows(conn, "SELECT expected_count, present_count, is_election FROM meeting WHERE id = 'g1'") == [
            (3, 1, 1)]
    engine.dispose()
