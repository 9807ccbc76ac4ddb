"""compliance results (derived, local-only) and waivers (synced, scoped by party_org_id)

compliance_finding holds what the engine (app.services.compliance) worked out: rebuilt from the synced
rows at any time, so it starts empty here and the app fills it after the first paint.  compliance_waiver
keeps a user's decision that a rule does not apply to a period, with the reason.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels = None
depends_on = None

LEVEL = sa.Enum("VIOLATION", "WARNING", "DUE", name="level", native_enum=False, length=32)


def _period_kind() -> sa.Enum:
    return sa.Enum("MONTH", "QUARTER", "YEAR", name="periodkind", native_enum=False, length=32)


def upgrade() -> None:
    op.create_table(
        "compliance_finding",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("rule_id", sa.String(length=40), nullable=False),
        sa.Column("party_org_id", sa.String(length=36), nullable=True),
        sa.Column("org_id", sa.String(length=36), nullable=True),
        sa.Column("subject_id", sa.String(length=36), nullable=True),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("period_kind", _period_kind(), nullable=True),
        sa.Column("period_first", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("level", LEVEL, nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("waiver_id", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compliance_finding")),
    )
    with op.batch_alter_table("compliance_finding", schema=None) as batch_op:
        batch_op.create_index("ix_compliance_finding_party_due", ["party_org_id", "due_on"], unique=False)
        batch_op.create_index("ix_compliance_finding_org", ["org_id"], unique=False)
    op.create_table(
        "compliance_waiver",
        sa.Column("rule_id", sa.String(length=40), nullable=False),
        sa.Column("period_kind", _period_kind(), nullable=True),
        sa.Column("period_first", sa.Date(), nullable=True),
        sa.Column("subject_id", sa.String(length=36), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("approved_by", sa.String(length=100), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("server_version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), server_default="", nullable=False),
        sa.Column("party_org_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compliance_waiver")),
    )
    with op.batch_alter_table("compliance_waiver", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_compliance_waiver_party_org_id"), ["party_org_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("compliance_waiver", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_compliance_waiver_party_org_id"))
    op.drop_table("compliance_waiver")
    with op.batch_alter_table("compliance_finding", schema=None) as batch_op:
        batch_op.drop_index("ix_compliance_finding_org")
        batch_op.drop_index("ix_compliance_finding_party_due")
    op.drop_table("compliance_finding")
