"""Attachments (photos, scanned sign-in sheets), content-addressed by SHA-256."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, OrgScoped


class Attachment(OrgScoped, Base):
    __tablename__ = "attachment"

    sha256: Mapped[str] = mapped_column(String(64), index=True)
    owner_entity: Mapped[str] = mapped_column(String(40))  # e.g. "meeting", "visit"
    owner_id: Mapped[str] = mapped_column(String(36), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    mime_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer)
    caption: Mapped[str] = mapped_column(String(200), default="")
