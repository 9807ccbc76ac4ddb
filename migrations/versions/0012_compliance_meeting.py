"""compliance_meeting: the engine's note of each meeting as it last counted it (derived, local-only);
compliance_finding indexed by subject (a meeting's record findings are replaced on every save)

When a meeting moves to another day, kind or 党组织, the note names the periods it left, so the
incremental refresh of the compliance results re-evaluates them too.  Filled by the engine's first full
evaluation (it starts empty, like compliance_finding).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "compliance_meeting",
        sa.Column("meeting_id", sa.String(length=36), nullable=False),
        sa.Column("party_org_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("party_group_id", sa.String(length=36), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("meeting_id", name=op.f("pk_compliance_meeting")),
    )
    with op.batch_alter_table("compliance_meeting", schema=None) as batch_op:
        batch_op.create_index("ix_compliance_meeting_party", ["party_org_id", "kind", "held_on"], unique=False)
    with op.batch_alter_table("compliance_finding", schema=None) as batch_op:  # a meeting's record findings
        batch_op.create_index("ix_compliance_finding_subject", ["subject_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("compliance_finding", schema=None) as batch_op:
        batch_op.drop_index("ix_compliance_finding_subject")
    with op.batch_alter_table("compliance_meeting", schema=None) as batch_op:
        batch_op.drop_index("ix_compliance_meeting_party")
    op.drop_table("compliance_meeting")
