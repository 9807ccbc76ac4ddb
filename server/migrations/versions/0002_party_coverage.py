"""The ``party_coverage`` side table: (party_org_id, org_id) of every live ``party_org_coverage`` record,
back-filled from the records already stored.

Until now an instructor's party scopes were found by reading the JSON of every coverage record of the
district on each /meta, /pull and push; the side table (indexed on ``org_id``) lets that read follow the
instructor's own organizations.  server.store.write_record keeps it in step from here on; the back-fill uses
the same rule as that function (a live record whose data is not tombstoned and names both ids).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BATCH = 1_000


def upgrade() -> None:
    op.create_table(
        "party_coverage",
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("party_org_id", sa.Text(), nullable=False),
        sa.Column("org_id", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_party_coverage")),
    )
    op.create_index(op.f("ix_party_coverage_org_id"), "party_coverage", ["org_id"], unique=False)
    op.create_index(op.f("ix_party_coverage_party_org_id"), "party_coverage", ["party_org_id"], unique=False)
    _back_fill()


def _pair(data: Any) -> tuple[str, str] | None:
    """(party_org_id, org_id) of a live coverage record's data, as server.store.coverage_pair reads it."""
    if not isinstance(data, dict) or data.get("deleted_at"):
        return None
    party_org_id, org_id = data.get("party_org_id"), data.get("org_id")
    if not party_org_id or not org_id:
        return None
    return str(party_org_id), str(org_id)


def _back_fill() -> None:
    records = sa.table("records", sa.column("entity", sa.String), sa.column("id", sa.String),
                       sa.column("deleted", sa.Boolean), sa.column("data", sa.JSON))
    coverage = sa.table("party_coverage", sa.column("record_id", sa.String), sa.column("party_org_id", sa.Text),
                        sa.column("org_id", sa.Text))
    rows = op.get_bind().execute(sa.select(records.c.id, records.c.data).where(
        records.c.entity == "party_org_coverage", records.c.deleted.is_(False)).order_by(records.c.id)).all()
    batch: list[dict[str, str]] = []
    for record_id, data in rows:
        pair = _pair(data)
        if pair is None:
            continue
        batch.append({"record_id": record_id, "party_org_id": pair[0], "org_id": pair[1]})
        if len(batch) >= BATCH:
            op.bulk_insert(coverage, batch)
            batch = []
    if batch:
        op.bulk_insert(coverage, batch)


def downgrade() -> None:
    op.drop_index(op.f("ix_party_coverage_party_org_id"), table_name="party_coverage")
    op.drop_index(op.f("ix_party_coverage_org_id"), table_name="party_coverage")
    op.drop_table("party_coverage")
