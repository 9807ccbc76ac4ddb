"""社会组织评估 history: org_evaluation (grade, evaluated_on, note), one row per evaluation

The organization keeps its current evaluation_grade / evaluation_date: the service sets them from the
latest live evaluation whenever the history changes (app.services.orgs.records).  Existing grades are not
copied into the history here: rows written by a migration would never reach the outbox.  The service
records an organization's current grade as its first history row when the user first adds an evaluation.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "org_evaluation",
        sa.Column("grade", sa.Enum("1A", "2A", "3A", "4A", "5A", name="evaluationgrade", native_enum=False,
                                   length=32), nullable=False),
        sa.Column("evaluated_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("server_version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), server_default="", nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_evaluation")),
    )
    with op.batch_alter_table("org_evaluation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_org_evaluation_org_id"), ["org_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("org_evaluation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_org_evaluation_org_id"))
    op.drop_table("org_evaluation")
