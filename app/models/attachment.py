"""Attachments (photos, scanned sign-in sheets), content-addressed by SHA-256 (DESIGN §3).

The bytes live once per content under the profile's attachments folder (``<sha256[:2]>/<sha256>``,
app.services.core.attachments); a row names the file, what it is attached to, and the scope it is synced
under.  Two tables, one per scope key: ``attachment`` for an organization's own records (visits,
notices: ``org_id``) and ``party_attachment`` for the party aggregate (a meeting belongs to a 党组织, so
its photos and 签到表 are scoped by ``party_org_id`` and reach every instructor of a 联合支部 — scoped by
one covered organization's ``org_id`` they would reach only that organization's instructor).
"""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, OrgScoped, PartyScoped


class AttachmentColumns:
    """What both attachment tables hold: the content's SHA-256, the owner, the name shown, the size."""

    sha256: Mapped[str] = mapped_column(String(64), index=True)
    owner_entity: Mapped[str] = mapped_column(String(40))  # e.g. "meeting", "visit"
    owner_id: Mapped[str] = mapped_column(String(36), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    mime_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer)
    caption: Mapped[str] = mapped_column(String(200), default="")


class Attachment(AttachmentColumns, OrgScoped, Base):
    """A file of an organization's own record (visit, notice …)."""

    __tablename__ = "attachment"


class PartyAttachment(AttachmentColumns, PartyScoped, Base):
    """A file of the party aggregate: a meeting's photos and scanned 签到表."""

    __tablename__ = "party_attachment"
