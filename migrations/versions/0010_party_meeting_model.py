"""the party organization and meeting model the rules need (DESIGN §2.0, issue 7 item 1)

New tables (all synced, scoped by ``party_org_id``): party_org_term (history of terms), committee_member
(post per term), party_group (党小组 as rows), member_kind_change / member_probation /
member_relation_change / member_expected_exclusion (the dated changes a voting right is worked out from),
meeting_guest, vote_candidate.  Meeting gets a status (草稿 / 完成) and a 党小组 id; attendance the
voting right at the meeting (``had_vote``, ``vote_note``); a vote its kind, subject member and written
opinions.  Dropped: the counts stored beside the rows they are derived from (meeting.expected_count /
present_count, vote.eligible / present, meeting.is_election) and the flags and free text the new rows
replace (party_org.term_years / term_started_on / secretary_name; member.kind / full_member_on /
on_probation_discipline / relation_transferred / party_group / committee_role).

What the old rows said is carried over:
- a party organization's ``term_started_on`` becomes a term (届次 counted from ``established_on``, due after
  ``term_years``); members with a ``committee_role`` sit on its committee (a term is made from the founding
  day, or today, when the committee exists but no term start was kept — its note says so); a
  ``secretary_name`` no member carries as 书记 is kept in the term's note;
- ``party_group`` text becomes one party_group row per name and 党组织, members and 党小组会 point to it;
- ``kind`` / ``joined_on`` / ``full_member_on`` become kind changes (预备 on joining, 正式 on 转正); a member
  with no date at all gets none (the services report "缺少入党日期" instead of guessing);
- ``on_probation_discipline`` becomes a 留党察看 from the earliest known day of the member (start unknown —
  the old app took the flag to mean "no vote" at every meeting, and so does the row; its note asks for the
  real dates); ``relation_transferred = 0`` becomes a "not here" relation change from that same day;
- attendance rows get the voting right the old rules gave at the meeting's date (正式 by then, not under
  留党察看, 组织关系 transferred in);
- a meeting whose typed 应到 / 实到 have no attendance rows behind them keeps the numbers in its minutes
  ("迁移前登记…"), so nothing the user typed is lost; old meetings are 完成; votes of an election meeting
  are 选举, the others 决议.

The outbox: every row this migration creates and every synced field it fills on an existing row is
queued like a user's edit (upserts; fields of a record with a still-pending entry are merged into it),
because the server cannot re-derive them (the client alone holds its unsent edits).  Ids of the created
rows are UUIDv5 of their source, so running the same derivation on the server yields the same records
and the upserts are idempotent there.  Pending entries lose the fields of the dropped columns (an
in-flight entry is never touched).  A demo database (sync_state demo_data = 1) queues nothing: demo data
is never synced.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

import json
import uuid
from datetime import date

import sqlalchemy as sa
from alembic import op
from uuid6 import uuid7

from app.services.core import clock

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels = None
depends_on = None

NAMESPACE = uuid.UUID("6f0c7f52-6b1e-4b8e-9d8a-0a1d2e3f0010")
ROLES = {"书记": "SECRETARY", "副书记": "DEPUTY_SECRETARY"}
DROPPED = {
    "party_org": ("term_years", "term_started_on", "secretary_name"),
    "member": ("kind", "full_member_on", "on_probation_discipline", "relation_transferred", "party_group",
               "committee_role"),
    "meeting": ("expected_count", "present_count", "party_group", "is_election"),
    "vote": ("eligible", "present"),
}
UNKNOWN_START = "迁移自旧记录：起始日期不详，请核对补录"


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=32)


def _sync_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("server_version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), server_default="", nullable=False),
        sa.Column("party_org_id", sa.String(length=36), nullable=False),
    ]


NEW_TABLES: dict[str, tuple[list[sa.Column], tuple[str, ...]]] = {  # type: ignore[type-arg]
    "party_org_term": ([
        sa.Column("term_no", sa.Integer(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("renewed_on", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
    ], ()),
    "committee_member": ([
        sa.Column("term_id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("role", _enum("committeerole", "SECRETARY", "DEPUTY_SECRETARY", "MEMBER"), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=True),
    ], ("term_id", "member_id")),
    "party_group": ([
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("leader_member_id", sa.String(length=36), nullable=True),
        sa.Column("first_day", sa.Date(), nullable=True),
        sa.Column("last_day", sa.Date(), nullable=True),
    ], ()),
    "member_kind_change": ([
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("kind", _enum("memberkind", "FULL", "PROBATIONARY"), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=False),
    ], ("member_id",)),
    "member_probation": ([
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
    ], ("member_id",)),
    "member_relation_change": ([
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("transferred_in", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
    ], ("member_id",)),
    "member_expected_exclusion": ([
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("approved_by", sa.String(length=100), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=True),
    ], ("member_id",)),
    "meeting_guest": ([
        sa.Column("meeting_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("role", _enum("guestrole", "LECTURER", "SUPERIOR", "OBSERVER", "OTHER"), nullable=False),
        sa.Column("unit", sa.String(length=100), nullable=False),
    ], ("meeting_id",)),
    "vote_candidate": ([
        sa.Column("vote_id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=True),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("yes_votes", sa.Integer(), nullable=False),
    ], ("vote_id",)),
}


def _create_tables() -> None:
    for table, (columns, indexed) in NEW_TABLES.items():
        op.create_table(table, *columns, *_sync_columns(), sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")))
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in ("party_org_id", *indexed):
                batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def _day(value: object) -> date | None:
    return None if value is None else date.fromisoformat(str(value)[:10])


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class _Writer:
    """Inserts derived rows with the sync columns, and queues their outbox entries (not in a demo file)."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self.now = clock.now().replace(tzinfo=None)  # an instant, stored as naive UTC (app.models.base.Instant)
        self.stamp = self.now.strftime("%Y-%m-%d %H:%M:%S.%f")
        demo = conn.execute(sa.text("SELECT value FROM sync_state WHERE key = 'demo_data'")).scalar()
        self.queue = demo != "1"
        self.today = clock.today()

    def insert(self, table: str, source: str, scope: str, deleted_at: object, **values: object) -> str:
        row_id = str(uuid.uuid5(NAMESPACE, f"{table}:{source}"))
        row = {"id": row_id, "server_version": 0, "deleted_at": deleted_at, "updated_at": self.stamp,
               "updated_by": "migration-0010", "party_org_id": scope, **values}
        names = ", ".join(row)
        self.conn.execute(sa.text(f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + n for n in row)})"), row)
        wire = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items() if k != "server_version"}
        if isinstance(wire["deleted_at"], str):
            wire["deleted_at"] = wire["deleted_at"].replace(" ", "T") + "+00:00"
        wire["updated_at"] = self.now.isoformat() + "+00:00"
        self.entry(table, row_id, scope, wire, 0)
        return row_id

    def entry(self, entity: str, record_id: str, scope: str, fields: dict[str, object], base_version: int, *,
              op_name: str = "upsert") -> None:
        if not self.queue:
            return
        latest = self.conn.execute(sa.text(
            "SELECT seq, fields, state FROM outbox WHERE entity = :e AND record_id = :r ORDER BY seq DESC LIMIT 1"),
            {"e": entity, "r": record_id}).first()
        if latest is not None and latest.state == "pending":
            merged = {**json.loads(latest.fields), **fields}
            self.conn.execute(sa.text("UPDATE outbox SET fields = :f, op = CASE WHEN :o = 'delete' THEN 'delete' "
                                      "ELSE op END WHERE seq = :s"),
                              {"f": json.dumps(merged, ensure_ascii=False), "s": latest.seq, "o": op_name})
            return
        self.conn.execute(sa.text(
            "INSERT INTO outbox (op_id, entity, record_id, scope_key, scope_id, op, base_version, fields, state, "
            "attempts, last_error, created_at) VALUES (:op, :e, :r, 'party_org_id', :scope, :o, :base, :f, "
            "'pending', 0, '', :at)"),
            {"op": str(uuid7()), "o": op_name, "e": entity, "r": record_id, "scope": scope, "base": base_version,
             "f": json.dumps(fields, ensure_ascii=False), "at": self.stamp})

    def filled(self, table: str, where: str, fields_sql: dict[str, str]) -> None:
        """Queue the fields just filled on existing rows of ``table`` (those matching ``where``)."""
        if not self.queue:
            return
        columns = ", ".join(f"{sql} AS {name}" for name, sql in fields_sql.items())
        rows = self.conn.execute(sa.text(
            f"SELECT id, party_org_id, server_version, {columns} FROM {table} WHERE {where}")).mappings().all()
        for row in rows:
            fields = {name: row[name] for name in fields_sql}
            self.entry(table, row["id"], row["party_org_id"], fields, row["server_version"])


def _terms(w: _Writer) -> dict[str, str]:
    """One term per party organization with a start (or a committee); returns party_org id -> term id."""
    conn = w.conn
    orgs = conn.execute(sa.text(
        "SELECT p.id, p.deleted_at, p.established_on, p.term_years, p.term_started_on, p.secretary_name, "
        "EXISTS (SELECT 1 FROM member m WHERE m.party_org_id = p.id AND m.committee_role != '') AS has_committee, "
        "EXISTS (SELECT 1 FROM member m WHERE m.party_org_id = p.id AND m.committee_role = '书记' "
        "AND m.name = p.secretary_name) AS secretary_is_member FROM party_org p")).mappings().all()
    terms: dict[str, str] = {}
    for org in orgs:
        started, established = _day(org["term_started_on"]), _day(org["established_on"])
        years = org["term_years"] or 3
        notes = []
        if started is None:
            if not org["has_committee"] and not org["secretary_name"]:
                continue
            started = established or w.today
            notes.append("迁移自旧记录：本届开始日期不详，请核对补录")
        number = 1
        if established is not None and established <= started:
            full_years = started.year - established.year - ((started.month, started.day)
                                                           < (established.month, established.day))
            number = 1 + full_years // years
        if org["secretary_name"] and not org["secretary_is_member"]:
            notes.append(f"迁移前登记的书记：{org['secretary_name']}")
        terms[org["id"]] = w.insert("party_org_term", org["id"], org["id"], org["deleted_at"], term_no=number,
                                    started_on=started, due_on=_add_years(started, years), renewed_on=None,
                                    note="；".join(notes))
    return terms


def _members(w: _Writer, terms: dict[str, str]) -> None:
    conn = w.conn
    started = {t: _day(s) for t, s in conn.execute(sa.text("SELECT id, started_on FROM party_org_term"))}
    members = conn.execute(sa.text(
        "SELECT id, party_org_id, deleted_at, kind, joined_on, full_member_on, on_probation_discipline, "
        "relation_transferred, committee_role FROM member")).mappings().all()
    for m in members:
        scope, gone = m["party_org_id"], m["deleted_at"]
        joined, full_on = _day(m["joined_on"]), _day(m["full_member_on"])
        if m["kind"] == "PROBATIONARY" and joined is not None:
            w.insert("member_kind_change", f"{m['id']}:joined", scope, gone, member_id=m["id"], kind="PROBATIONARY",
                     changed_on=joined)
        elif m["kind"] == "FULL":
            if joined is not None and (full_on is None or joined < full_on):
                kind = "PROBATIONARY" if full_on is not None else "FULL"
                w.insert("member_kind_change", f"{m['id']}:joined", scope, gone, member_id=m["id"], kind=kind,
                         changed_on=joined)
            if full_on is not None:
                w.insert("member_kind_change", f"{m['id']}:full", scope, gone, member_id=m["id"], kind="FULL",
                         changed_on=full_on)
        earliest = min((d for d in (joined, full_on) if d is not None), default=date(1921, 7, 1))
        if m["on_probation_discipline"]:
            w.insert("member_probation", m["id"], scope, gone, member_id=m["id"], first_day=earliest, last_day=None,
                     note=UNKNOWN_START)
        if not m["relation_transferred"]:
            w.insert("member_relation_change", m["id"], scope, gone, member_id=m["id"], changed_on=earliest,
                     transferred_in=False, note="迁移自旧记录：组织关系未转入本支部（日期不详）")
        if m["committee_role"] and scope in terms:
            term_id = terms[scope]
            w.insert("committee_member", m["id"], scope, gone, term_id=term_id, member_id=m["id"],
                     role=ROLES.get(m["committee_role"].strip(), "MEMBER"), first_day=started[term_id], last_day=None)


def _groups(w: _Writer) -> None:
    conn = w.conn
    names = conn.execute(sa.text(
        "SELECT party_org_id, party_group FROM member WHERE party_group != '' UNION "
        "SELECT party_org_id, party_group FROM meeting WHERE party_group != ''")).all()
    for scope, name in names:
        live = conn.execute(sa.text("SELECT deleted_at FROM party_org WHERE id = :p"), {"p": scope}).scalar()
        group_id = w.insert("party_group", f"{scope}:{name}", scope, live, name=name, leader_member_id=None,
                            first_day=None, last_day=None)
        for table in ("member", "meeting"):
            conn.execute(sa.text(f"UPDATE {table} SET party_group_id = :g "
                                 "WHERE party_org_id = :p AND party_group = :n"), {"g": group_id, "p": scope, "n": name})
    for table in ("member", "meeting"):
        w.filled(table, "party_group_id IS NOT NULL", {"party_group_id": "party_group_id"})


HAD_VOTE = (
    "(SELECT m.kind = 'FULL' AND (m.full_member_on IS NULL OR m.full_member_on <= date(g.started_at)) "
    "AND NOT m.on_probation_discipline AND m.relation_transferred FROM member m, meeting g "
    "WHERE m.id = meeting_attendance.member_id AND g.id = meeting_attendance.meeting_id)"
)
VOTE_NOTE = (
    "(SELECT CASE WHEN NOT m.relation_transferred THEN '组织关系不在本支部，不计入应到' "
    "WHEN m.kind != 'FULL' OR m.full_member_on > date(g.started_at) THEN '预备党员，无表决权' "
    "WHEN m.on_probation_discipline THEN '留党察看期间，无表决权' ELSE '正式党员，有表决权' END "
    "FROM member m, meeting g WHERE m.id = meeting_attendance.member_id AND g.id = meeting_attendance.meeting_id)"
)


def _meetings(w: _Writer) -> None:
    conn = w.conn
    conn.execute(sa.text(f"UPDATE meeting_attendance SET had_vote = coalesce({HAD_VOTE}, 0), "
                         f"vote_note = coalesce({VOTE_NOTE}, '迁移时找不到该党员，未能判断表决权')"))
    w.filled("meeting_attendance", "1", {"had_vote": "had_vote", "vote_note": "vote_note"})
    typed = ("deleted_at IS NULL AND (expected_count > 0 OR present_count > 0) AND NOT EXISTS (SELECT 1 FROM "
             "meeting_attendance a WHERE a.meeting_id = meeting.id AND a.deleted_at IS NULL)")
    conn.execute(sa.text(
        "UPDATE meeting SET minutes = minutes || CASE WHEN minutes = '' THEN '' ELSE char(10) END || "
        "'【迁移前登记：应到 ' || expected_count || ' 人，实到 ' || present_count || ' 人；"
        f"无逐人签到记录，应到/实到须按签到补录】' WHERE {typed}"))
    conn.execute(sa.text("UPDATE meeting SET status = 'DONE'"))
    w.filled("meeting", "1", {"status": "status"})
    w.filled("meeting", "minutes LIKE '%【迁移前登记：应到 %'", {"minutes": "minutes"})
    conn.execute(sa.text("UPDATE vote SET written_yes = 0, kind = CASE WHEN (SELECT g.is_election FROM meeting g "
                         "WHERE g.id = vote.meeting_id) THEN 'ELECTION' ELSE 'RESOLUTION' END"))
    w.filled("vote", "1", {"kind": "kind", "written_yes": "written_yes"})


def _one_row_per_member(w: _Writer) -> None:
    """A second live attendance row of one member at one meeting would break the unique index: the later
    ones (by id, i.e. creation order) are tombstoned, and the tombstones queued as deletes."""
    twice = w.conn.execute(sa.text(
        "SELECT id, party_org_id, server_version FROM meeting_attendance a WHERE deleted_at IS NULL AND EXISTS ("
        "SELECT 1 FROM meeting_attendance b WHERE b.meeting_id = a.meeting_id AND b.member_id = a.member_id "
        "AND b.deleted_at IS NULL AND b.id < a.id)")).all()
    for row_id, scope, version in twice:
        w.conn.execute(sa.text("UPDATE meeting_attendance SET deleted_at = :at WHERE id = :i"),
                       {"at": w.stamp, "i": row_id})
        w.entry("meeting_attendance", row_id, scope, {"deleted_at": w.now.isoformat() + "+00:00"}, version,
                op_name="delete")


def _strip_pending_fields() -> None:
    for table, columns in DROPPED.items():
        paths = ", ".join(f"'$.{c}'" for c in columns)
        op.execute(f"UPDATE outbox SET fields = json_remove(fields, {paths}) "
                   f"WHERE entity = '{table}' AND state = 'pending'")


def upgrade() -> None:
    _create_tables()
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("party_group_id", sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f("ix_member_party_group_id"), ["party_group_id"], unique=False)
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", _enum("meetingstatus", "DRAFT", "DONE"), nullable=True))
        batch_op.add_column(sa.Column("party_group_id", sa.String(length=36), nullable=True))
    with op.batch_alter_table("meeting_attendance", schema=None) as batch_op:
        batch_op.add_column(sa.Column("had_vote", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("vote_note", sa.String(length=200), nullable=True))
    with op.batch_alter_table("vote", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", _enum("votekind", "RESOLUTION", "ELECTION", "ADMIT", "CONFIRM", "OTHER"),
                                      nullable=True))
        batch_op.add_column(sa.Column("subject_member_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("written_yes", sa.Integer(), nullable=True))
    writer = _Writer(op.get_bind())
    terms = _terms(writer)
    _members(writer, terms)
    _groups(writer)
    _meetings(writer)
    _strip_pending_fields()
    _one_row_per_member(writer)
    status = _enum("attendancestatus", "PRESENT", "LEAVE", "ABSENT", "OBSERVER")
    with op.batch_alter_table("meeting_attendance", schema=None) as batch_op:
        batch_op.alter_column("had_vote", existing_type=sa.Boolean(), nullable=False)
        batch_op.alter_column("vote_note", existing_type=sa.String(length=200), nullable=False)
        batch_op.alter_column("status", existing_type=_enum("attendancestatus", "PRESENT", "ABSENT"), type_=status,
                              existing_nullable=False)
        batch_op.create_index("uq_meeting_attendance_member", ["meeting_id", "member_id"], unique=True,
                              sqlite_where=sa.text("deleted_at IS NULL"))
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.alter_column("status", existing_type=_enum("meetingstatus", "DRAFT", "DONE"), nullable=False)
        for column in DROPPED["meeting"]:
            batch_op.drop_column(column)
    with op.batch_alter_table("vote", schema=None) as batch_op:
        batch_op.alter_column("kind", existing_type=sa.String(length=32), nullable=False)
        batch_op.alter_column("written_yes", existing_type=sa.Integer(), nullable=False)
        for column in DROPPED["vote"]:
            batch_op.drop_column(column)
    for table in ("party_org", "member"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in DROPPED[table]:
                batch_op.drop_column(column)


def downgrade() -> None:
    """Back to the flags and counts, from the rows (latest kind, open 留党察看, relation, first 党小组 name,
    committee post of the latest term, counts from attendance); the new tables go."""
    with op.batch_alter_table("party_org", schema=None) as batch_op:
        batch_op.add_column(sa.Column("term_years", sa.Integer(), nullable=False, server_default="3"))
        batch_op.add_column(sa.Column("term_started_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("secretary_name", sa.String(length=50), nullable=False, server_default=""))
    latest_term = ("(SELECT t.id FROM party_org_term t WHERE t.party_org_id = {p} AND t.deleted_at IS NULL "
                   "ORDER BY t.started_on DESC LIMIT 1)")
    op.execute(f"UPDATE party_org SET term_started_on = (SELECT started_on FROM party_org_term WHERE id = "
               f"{latest_term.format(p='party_org.id')}), secretary_name = coalesce((SELECT m.name FROM member m "
               "JOIN committee_member c ON c.member_id = m.id WHERE c.role = 'SECRETARY' AND c.deleted_at IS NULL "
               f"AND c.term_id = {latest_term.format(p='party_org.id')}), '')")
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=32), nullable=False, server_default="FULL"))
        batch_op.add_column(sa.Column("full_member_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("on_probation_discipline", sa.Boolean(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("relation_transferred", sa.Boolean(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("party_group", sa.String(length=50), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("committee_role", sa.String(length=20), nullable=False, server_default=""))
    live = "deleted_at IS NULL AND member_id = member.id"
    op.execute(
        "UPDATE member SET "
        f"kind = coalesce((SELECT kind FROM member_kind_change WHERE {live} ORDER BY changed_on DESC LIMIT 1), "
        "'FULL'), "
        f"full_member_on = (SELECT min(changed_on) FROM member_kind_change WHERE {live} AND kind = 'FULL'), "
        f"on_probation_discipline = EXISTS (SELECT 1 FROM member_probation WHERE {live} AND last_day IS NULL), "
        "relation_transferred = coalesce((SELECT transferred_in FROM member_relation_change WHERE "
        f"{live} ORDER BY changed_on DESC LIMIT 1), 1), "
        "party_group = coalesce((SELECT name FROM party_group g WHERE g.id = member.party_group_id), ''), "
        "committee_role = coalesce((SELECT CASE c.role WHEN 'SECRETARY' THEN '书记' WHEN 'DEPUTY_SECRETARY' "
        f"THEN '副书记' ELSE '委员' END FROM committee_member c WHERE c.{live} AND c.term_id = "
        f"{latest_term.format(p='member.party_org_id')}), '')")
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_party_group_id"))
        batch_op.drop_column("party_group_id")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expected_count", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("present_count", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("party_group", sa.String(length=50), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("is_election", sa.Boolean(), nullable=False, server_default="0"))
    rows = "FROM meeting_attendance a WHERE a.meeting_id = meeting.id AND a.deleted_at IS NULL AND a.had_vote"
    op.execute(f"UPDATE meeting SET expected_count = (SELECT count(*) {rows}), present_count = (SELECT count(*) "
               f"{rows} AND a.status = 'PRESENT'), party_group = coalesce((SELECT name FROM party_group g WHERE "
               "g.id = meeting.party_group_id), ''), is_election = EXISTS (SELECT 1 FROM vote v WHERE "
               "v.meeting_id = meeting.id AND v.kind = 'ELECTION')")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("status")
        batch_op.drop_column("party_group_id")
    with op.batch_alter_table("vote", schema=None) as batch_op:
        batch_op.add_column(sa.Column("eligible", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("present", sa.Integer(), nullable=False, server_default="0"))
    op.execute("UPDATE vote SET eligible = (SELECT expected_count FROM meeting g WHERE g.id = vote.meeting_id), "
               "present = (SELECT present_count FROM meeting g WHERE g.id = vote.meeting_id)")
    with op.batch_alter_table("vote", schema=None) as batch_op:
        for column in ("kind", "subject_member_id", "written_yes"):
            batch_op.drop_column(column)
    op.execute("UPDATE meeting_attendance SET status = 'ABSENT' WHERE status = 'LEAVE'")
    op.execute("UPDATE meeting_attendance SET status = 'PRESENT' WHERE status = 'OBSERVER'")
    with op.batch_alter_table("meeting_attendance", schema=None) as batch_op:
        batch_op.drop_index("uq_meeting_attendance_member")
        batch_op.drop_column("had_vote")
        batch_op.drop_column("vote_note")
    for table, (_columns, indexed) in reversed(NEW_TABLES.items()):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in ("party_org_id", *indexed):
                batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))
        op.drop_table(table)
