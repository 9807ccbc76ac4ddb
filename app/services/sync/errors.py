"""What a sync can fail with: each ``str()`` is one Chinese line saying why and what to do."""

from __future__ import annotations

from app.services.core.errors import ServiceError

__all__ = ["CertificateError", "PasswordNeeded", "SyncCancelled", "SyncError"]


class SyncError(ServiceError):
    """A failed sync (nothing half-applied: every page and every push result commits on its own)."""


class PasswordNeeded(SyncError):
    """No usable refresh token (no keyring backend on this computer, or the server revoked or expired it):
    the password must be given to sync."""


class WrongPassword(PasswordNeeded):
    """The server refused the username and password given: ask again (never taken as a failed sync)."""


class CertificateError(SyncError):
    """The server's TLS certificate could not be verified."""


class SyncCancelled(SyncError):
    """The user cancelled; what was sent and received before that is kept."""

    def __init__(self) -> None:
        super().__init__("同步已取消。已经发送和接收的数据都已保存，下次同步会从中断处继续。")
