"""同步 area: the client sync engine (DESIGN §4, SYNC.md §8) — Qt-free; the CLI and the UI use only the
names below.  Run on a worker thread: every call opens its own sessions.

Modules: ``transport`` (HTTP, retries, tokens), ``credentials`` (keyring), ``account`` (sign in / out),
``codec`` (wire <-> column values), ``apply`` (pulled rows), ``push`` (the outbox out), ``blobs``
(attachment bytes), ``scopes`` (granted / lost scopes, quarantine), ``reconcile`` (a server restored from
backup), ``engine`` (one run), ``status``, ``conflicts``, ``export``, ``checkpoints`` (test hooks)."""

from __future__ import annotations

from app.services.sync.account import account_of, sign_in, sign_out
from app.services.sync.conflicts import list_conflicts, resolve_conflict
from app.services.sync.dto import Account, ConflictItem, FailedOp, SyncProgress, SyncReport, SyncStatus
from app.services.sync.engine import run_sync
from app.services.sync.errors import CertificateError, PasswordNeeded, SyncCancelled, SyncError, WrongPassword
from app.services.sync.export import UnsentExport, discard_exported, discard_quarantined, export_unsent
from app.services.sync.status import sync_status
from app.services.sync.transport import Transport

__all__ = [
    "Account", "CertificateError", "ConflictItem", "FailedOp", "PasswordNeeded", "SyncCancelled", "SyncError",
    "SyncProgress", "SyncReport", "SyncStatus", "Transport", "UnsentExport", "WrongPassword", "account_of",
    "discard_exported", "discard_quarantined", "export_unsent", "list_conflicts", "resolve_conflict", "run_sync",
    "sign_in", "sign_out", "sync_status",
]
