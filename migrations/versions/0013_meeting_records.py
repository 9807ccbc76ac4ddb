"""meeting records, guided: the 主题党日's form, and attachments of the party aggregate (issue 7 item 3)

- ``meeting.activity_form``: how a 主题党日 was held (集中学习, 志愿服务, 参观学习 …); its theme is the
  meeting's ``topic``.  Empty for the other kinds.
- ``party_attachment``: photos and scanned 签到表 of a meeting.  A meeting belongs to a 党组织, so its
  attachments are scoped by ``party_org_id`` like every row of the party aggregate (DESIGN §3); the
  ``attachment`` table stays scoped by ``org_id`` for an organization's own records (visits, notices).
  Scoping a meeting's files by the org_id of one covered organization would hide them from the
  instructors of the other organizations of a 联合支部.  The bytes of both live in the one content-addressed
  folder (``<sha256[:2]>/<sha256>``), stored once per content.

Nothing existing is rewritten, so nothing is queued in the outbox.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("activity_form", sa.String(length=100), server_default="", nullable=False))
    op.create_table(
        "party_attachment",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("owner_entity", sa.String(length=40), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("mime_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("caption", sa.String(length=200), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("server_version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), server_default="", nullable=False),
        sa.Column("party_org_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_attachment")),
    )
    with op.batch_alter_table("party_attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_party_attachment_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_party_attachment_party_org_id"), ["party_org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_party_attachment_sha256"), ["sha256"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("party_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_party_attachment_sha256"))
        batch_op.drop_index(batch_op.f("ix_party_attachment_party_org_id"))
        batch_op.drop_index(batch_op.f("ix_party_attachment_owner_id"))
    op.drop_table("party_attachment")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("activity_form")
