"""The frozen values the sync hands to the CLI and the UI (app.services.sync's public API)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["Account", "ConflictItem", "FailedOp", "SyncProgress", "SyncReport", "SyncStatus"]


@dataclass(frozen=True)
class Account:
    """The district account a profile is signed in to."""

    profile: str
    server_url: str
    username: str
    role: str
    display_name: str
    keyring_ok: bool  # False: no keyring backend -> the password is asked at every sync


@dataclass(frozen=True)
class SyncProgress:
    """Where a running sync is: ``stage`` in Chinese (上传附件 / 发送修改 / 接收数据 / 补取新分配的组织)."""

    stage: str
    done: int
    total: int | None


@dataclass(frozen=True)
class SyncReport:
    """What one sync run did."""

    pushed: int = 0
    applied: int = 0
    merged: int = 0
    duplicates: int = 0
    rejected: int = 0
    conflicts: int = 0  # this run's pushes that met another's value (both kept)
    pulled: int = 0
    uploaded_blobs: int = 0
    confirmed_numbers: tuple[tuple[str, str], ...] = ()  # (provisional text, confirmed text)
    added_scopes: int = 0
    removed_scopes: int = 0
    quarantined_orgs: tuple[str, ...] = ()  # names of organizations kept read-only
    messages: tuple[str, ...] = ()  # Chinese lines worth showing (rejections with reasons, clock warning ...)
    open_conflicts: int = 0  # conflicts waiting to be settled here after the run (pushed or pulled ones)


@dataclass(frozen=True)
class FailedOp:
    """An unsent change the server refused (or could not take yet), kept and shown."""

    entity: str
    record_id: str
    label: str
    error: str
    attempts: int


@dataclass(frozen=True)
class SyncStatus:
    account: Account | None
    last_synced_at: datetime | None
    last_error: str
    pending: int
    failed: tuple[FailedOp, ...]
    conflicts: int
    quarantined_orgs: tuple[str, ...]
    skipped: tuple[str, ...] = ()  # pulled rows this version could not store (app.services.sync.held), retried


@dataclass(frozen=True)
class ConflictItem:
    """One field of one record where two pushes met with different values (display texts)."""

    id: str
    entity: str
    entity_label: str
    record_id: str
    record_label: str
    field: str
    field_label: str
    yours: str  # the later push's value (``by`` pushed it)
    other: str  # the value it met (``other_by`` wrote it)
    kept: str
    at: datetime | None
    by: str  # a name to show: the instructor's name, else the username
    other_by: str = ""
    mine: str = ""  # which of "yours" / "other" this laptop wrote ("" for neither: a third party)
