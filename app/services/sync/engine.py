"""One sync run (SYNC.md §8.8), on the caller's worker thread with its own sessions; the UI keeps writing.

meta (protocol, instance, granted scopes; a clock offset over 5 minutes is only mentioned: nothing is ever
ordered by a client's clock) -> ops left in flight go back to pending -> attachment bytes up -> push rounds ->
lost / new scopes -> pull pages (each page and its cursor in one transaction) -> back-fills of new scopes ->
attachment bytes down -> one more round when the push merged or met conflicts, or the pull found rows held
by unsent ops.  ``last_synced_at`` / ``last_error`` are kept in ``sync_state`` for the status line.

A checkpoint hook raising (tests: a simulated crash) stops the run where it is with nothing more written."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app import paths, wire
from app.services.core import clock, derived
from app.services.core.error_text import describe_error
from app.services.sync import access_tokens, blobs, credentials, state
from app.services.sync.account import DEMO_REFUSED, account_in, login
from app.services.sync.apply import apply_changes, knows_entity
from app.services.sync.checkpoints import checkpoint
from app.services.sync.checksum import check_due, compare, note_checked, repair
from app.services.sync.dto import Account, SyncProgress, SyncReport
from app.services.sync.errors import PasswordNeeded, SyncError
from app.services.sync.held import held_summary, reread_needed, take_held
from app.services.sync.push import (
    PushTally,
    back_to_pending,
    ready_count,
    record_results,
    recover_in_flight,
    take_batch,
)
from app.services.sync.reconcile import reconcile
from app.services.sync.scopes import ScopeChanges, backfills, note_granted, quarantined_names
from app.services.sync.status import open_conflict_count
from app.services.sync.transport import Transport, body_of, server_message

__all__ = ["run_sync"]

CLOCK_WARNING = timedelta(minutes=5)
STAGE_BLOBS, STAGE_PUSH, STAGE_PULL, STAGE_BACKFILL = "上传附件", "发送修改", "接收数据", "补取新分配的组织"
ProgressFn = Callable[[SyncProgress], None]


class _Reset(Exception):
    """The server does not know our cursor (409 reset): reconcile and read again from 0."""


@dataclass
class _Run:
    factory: sessionmaker[Session]
    transport: Transport
    progress: ProgressFn | None
    tally: PushTally = field(default_factory=PushTally)
    pulled: int = 0
    kept_local: int = 0
    uploaded: int = 0
    scopes: ScopeChanges = field(default_factory=ScopeChanges)
    messages: list[str] = field(default_factory=list)
    started_at: datetime = field(default_factory=clock.now)

    def tell(self, stage: str, done: int, total: int | None) -> None:
        if self.progress is not None:
            self.progress(SyncProgress(stage, done, total))


def _database_path(factory: sessionmaker[Session]) -> Path:
    engine: Any = factory.kw["bind"]
    return Path(engine.url.database)


class _Auth:
    """Access tokens for the run: from the kept refresh token (rotated on use), else the password."""

    def __init__(self, account: Account, transport: Transport, password: str | None) -> None:
        self.account, self.transport, self.password = account, transport, password

    def _keep(self, pair: dict[str, Any]) -> str:
        """The rotated refresh token replaces the old one at once (the old one is dead on the server); the
        access token is kept in memory for the next run (access_tokens)."""
        credentials.store(self.account.server_url, self.account.username, pair["refresh_token"])
        self.transport.access_token = pair["access_token"]
        access_tokens.remember(self.account.server_url, self.account.username, self.transport.device_id,
                               str(pair["access_token"]), float(pair.get("expires_in") or 0))
        return str(pair["access_token"])

    def start(self) -> None:
        """The run's first token: the last run's while it lives, else a refreshed one (:meth:`access`)."""
        kept = access_tokens.recall(self.account.server_url, self.account.username, self.transport.device_id)
        if kept:
            self.transport.access_token = kept
        else:
            self.access()

    def access(self) -> str:
        token = credentials.load(self.account.server_url, self.account.username)
        if token:
            response = self.transport.request("POST", "/auth/refresh", auth=False,
                                              json={"refresh_token": token, "device_id": self.transport.device_id})
            if response.status_code < 300:
                return self._keep(body_of(response))
            if response.status_code != 401:
                raise SyncError(self.transport.failure(response))
            detail = server_message(response)
        else:
            detail = ""
        if self.password:
            return self._keep(login(self.transport, self.account.username, self.password))
        if not self.account.keyring_ok and not token:
            raise PasswordNeeded("本机没有可用的系统钥匙串，无法保存登录状态：请输入密码后同步。")
        raise PasswordNeeded(f"登录已过期或已在服务器上注销{('（' + detail + '）') if detail else ''}，"
                             "请输入密码重新登录后同步。未发送的修改都保留在本机。")


def run_sync(factory: sessionmaker[Session], *, password: str | None = None,
             progress: ProgressFn | None = None, cancel: threading.Event | None = None,
             transport: Transport | None = None) -> SyncReport:
    """Push then pull, as the module says.  Raises SyncError (PasswordNeeded, CertificateError,
    SyncCancelled ...) with a Chinese line; whatever was recorded before a failure stays recorded.  The
    demo profile refuses.  Worker thread."""
    if paths.in_demo_profile(_database_path(factory)):
        raise SyncError(DEMO_REFUSED)
    with factory() as session:
        account = account_in(session)
        values = state.read(session, [state.DEVICE_ID, state.CA_FILE])
    if account is None:
        raise SyncError("这个用户配置还没有登录区服务器：请先登录（同步 → 登录，或 python -m app sign-in）。")
    own = transport is None
    transport = transport or Transport(account.server_url, values.get(state.DEVICE_ID, ""),
                                       ca_file=values.get(state.CA_FILE) or None, cancel=cancel)
    if cancel is not None:
        transport.cancel = cancel
    auth = _Auth(account, transport, password)
    transport.refresher = auth.access
    run = _Run(factory, transport, progress)
    try:
        auth.start()
        _run(run)
    except SyncError as exc:
        _finish(factory, error=str(exc))
        raise
    except (SQLAlchemyError, OSError) as exc:  # this computer's side: a full disk, a locked or damaged file
        with contextlib.suppress(SQLAlchemyError, OSError):  # the note itself may not fit on a full disk
            _finish(factory, error=describe_error(exc))
        raise
    finally:
        if own:
            transport.close()
    _finish(factory, error="")
    return _report(run)


def _finish(factory: sessionmaker[Session], *, error: str) -> None:
    with factory.begin() as session:
        if error:
            recover_in_flight(session)
            state.write(session, {state.LAST_ERROR: error})
        else:
            state.write(session, {state.LAST_ERROR: "", state.LAST_SYNCED_AT: clock.now().isoformat()})


def _report(run: _Run) -> SyncReport:
    with run.factory() as session:
        quarantined = quarantined_names(session)
        skipped = held_summary(session)
        open_conflicts = open_conflict_count(session)
    t = run.tally
    return SyncReport(pushed=t.pushed, applied=t.applied, merged=t.merged, duplicates=t.duplicates,
                      rejected=t.rejected, conflicts=t.conflicts, pulled=run.pulled, uploaded_blobs=run.uploaded,
                      confirmed_numbers=tuple(t.confirmed_numbers),
                      added_scopes=_organizations(run.scopes.added), removed_scopes=_organizations(run.scopes.removed),
                      quarantined_orgs=quarantined, open_conflicts=open_conflicts,
                      messages=tuple(dict.fromkeys([*run.messages, *t.messages, *skipped])))


def _organizations(scopes: list[str]) -> int:
    """How many organizations and 党组织 these scopes are (not the district's own scope)."""
    return sum(scope != wire.DISTRICT_SCOPE for scope in scopes)


def _meta(run: _Run) -> dict[str, Any]:
    meta: dict[str, Any] = run.transport.json("GET", "/meta")
    if not (int(meta.get("protocol_min", 1)) <= wire.PROTOCOL_VERSION <= int(meta.get("protocol_max", 1))):
        raise SyncError("区服务器的同步协议版本与本软件不兼容，请升级软件后再同步。")
    try:
        offset = datetime.fromisoformat(str(meta["server_time"])) - clock.now()
    except (KeyError, ValueError, TypeError):
        offset = timedelta(0)
    if abs(offset) > CLOCK_WARNING:
        minutes = int(abs(offset).total_seconds() // 60)
        run.messages.append(f"本机时钟与服务器相差约 {minutes} 分钟，请校准系统时间（不影响同步结果）。")
    return meta


def _run(run: _Run) -> None:
    meta = _meta(run)
    with run.factory.begin() as session:
        recover_in_flight(session)
        stored = state.read(session, [state.INSTANCE_ID, state.CURSOR])
    instance = str(meta.get("server_instance_id", ""))
    if stored.get(state.INSTANCE_ID) and stored[state.INSTANCE_ID] != instance:
        run.messages.append("区服务器已从备份恢复：本机数据已与服务器重新核对，服务器缺少的修改会重新发送。")
        reconcile(run.factory, run.transport, instance)
    elif not stored.get(state.INSTANCE_ID):
        with run.factory.begin() as session:
            state.write(session, {state.INSTANCE_ID: instance})
    max_ops = max(1, min(int(meta.get("max_push_ops") or wire.MAX_PUSH_OPS), wire.MAX_PUSH_OPS))
    granted = [str(s) for s in meta.get("scopes") or []]
    for round_no in range(2):  # a second round sends what waited behind merges and pulled rows
        with run.factory() as session:
            first = not state.get(session, state.CURSOR)  # the first pull brings every granted scope
        _upload(run)
        _push(run, max_ops)
        try:
            _pull(run)
        except _Reset:
            run.messages.append("区服务器不认识本机的同步位置：本机数据已与服务器重新核对并重新接收。")
            reconcile(run.factory, run.transport, instance)
            first = True
            _upload(run)
            _push(run, max_ops)
            _pull(run)
        if round_no == 0:
            # Scopes are judged after the push and the pull: an organization made offline is granted once
            # pushed, and a server that lost history has had the lost rows pushed again by then.
            if run.tally.pushed:
                granted = [str(s) for s in _meta(run).get("scopes") or []]
            with run.factory.begin() as session:
                run.scopes = note_granted(session, granted, first_sync=first)
            blobs.drop_files(run.factory, run.scopes.files)
        _backfill(run)
        _fetched, notes = blobs.download_missing(run.factory, run.transport)
        run.messages.extend(notes)
        if not (run.tally.merged or run.tally.conflicts or run.kept_local):
            break  # nothing the server merged, and no pulled row waiting behind an unsent op
    _check(run, max_ops, initial=not stored.get(state.CURSOR))


def _check(run: _Run, max_ops: int, *, initial: bool) -> None:
    """The daily comparison with the server (checksum.py); the first sync, which read everything, only
    notes the time.  A failure leaves it due: the next sync tries again."""
    now = clock.now()
    with run.factory.begin() as session:
        if not check_due(session, now):
            return
        if initial:
            note_checked(session, now)
            return
    differing = compare(run.factory, run.transport)
    if differing:  # another laptop may have pushed since this run's pull: caught up, is it still different?
        _pull(run)
        differing = compare(run.factory, run.transport, only=differing)
    if differing:
        queued = repair(run.factory, run.transport, differing)
        sent = f"，本机 {queued} 条服务器没有的记录已重新发送" if queued else ""
        run.messages.append(f"与区服务器核对时发现 {len(differing)} 个组织的数据不一致："
                            f"已重新接收这些组织的数据{sent}。")
        if queued:
            _push(run, max_ops)
        _backfill(run)
    with run.factory.begin() as session:
        note_checked(session, now)


def _upload(run: _Run) -> None:
    uploaded, notes = blobs.upload_pending(run.factory, run.transport,
                                           lambda done, total: run.tell(STAGE_BLOBS, done, total))
    run.uploaded += uploaded
    run.messages.extend(notes)


def _push(run: _Run, max_ops: int) -> None:
    limit, done = max_ops, 0
    sent_seqs: set[int] = set()
    with run.factory() as session:
        total = ready_count(session, run.started_at)  # what this run will send: the progress's total
    while True:
        run.transport.check_cancel()
        with run.factory.begin() as session:
            batch = take_batch(session, limit, run.started_at)
        if not batch:
            return
        if all(s.seq in sent_seqs for s in batch):  # answered without settling: leave them for the next run
            with run.factory.begin() as session:
                back_to_pending(session, batch)
            return
        checkpoint("before_push")
        response = run.transport.request("POST", "/push", json={"device_id": run.transport.device_id,
                                                                "ops": [s.wire_op for s in batch]})
        if response.status_code == 413 and limit > 1:
            with run.factory.begin() as session:
                back_to_pending(session, batch)
            limit = max(1, limit // 2)
            continue
        if response.status_code >= 300:
            raise SyncError(run.transport.failure(response))
        results = body_of(response).get("results") or []
        checkpoint("after_push_response")
        with run.factory.begin() as session:
            record_results(session, batch, results, run.tally)
            changed, run.tally.changed = run.tally.changed, {}
            derived.rows_changed(session, changed, dict.fromkeys(changed))
        checkpoint("after_push_recorded")
        sent_seqs.update(s.seq for s in batch)
        done += len(batch)
        run.tell(STAGE_PUSH, done, max(total, done))


def _fetch_page(run: _Run, cursor: str, scope: str | None, *, count: bool = False) -> dict[str, Any] | None:
    """One page after ``cursor`` (None: the scope's grant went away since /meta: the next run sees it
    lost); ``count``: with ``remaining``, the changes still to come counting this page's."""
    run.transport.check_cancel()
    params: dict[str, Any] = {"cursor": cursor, "limit": wire.DEFAULT_PAGE}
    if scope:
        params["scope"] = scope
    if count:
        params["count"] = "true"
    response = run.transport.request("GET", "/pull", params=params)
    if response.status_code == 409:
        raise _Reset()
    if response.status_code == 403 and scope:
        return None
    if response.status_code >= 300:
        raise SyncError(run.transport.failure(response))
    page: dict[str, Any] = body_of(response)
    return page


def _pull_pages(run: _Run, stage: str, cursor: str, scope: str | None,
                store: Callable[[Session, str, bool], None]) -> None:
    """Pages until the last, each applied with its cursor in one transaction.  The next page is asked for
    while this one is written (its cursor comes with this one), so the server's work and ours overlap —
    at most one request ahead, read only; its answer (or failure) is taken after this page committed."""
    ahead = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-pull")
    coming: Future[dict[str, Any] | None] = ahead.submit(_fetch_page, run, cursor, scope, count=True)
    done, total = 0, None  # this stage's: the progress shows "done of total"
    try:
        while True:
            page = coming.result()
            run.transport.check_cancel()
            if page is None:
                return
            if total is None and isinstance(page.get("remaining"), int):
                total = int(page["remaining"])
            cursor = str(page.get("next_cursor", cursor))
            more = bool(page.get("has_more"))
            if more:
                coming = ahead.submit(_fetch_page, run, cursor, scope)
            changes = page.get("changes") or []
            with run.factory.begin() as session:
                applied = apply_changes(session, changes)
                checkpoint("before_pull_page_commit")
                store(session, cursor, more)
            checkpoint("after_pull_page")
            run.pulled += len(changes)
            done += len(changes)
            run.kept_local += applied.kept_local
            run.messages.extend(applied.problems)
            run.tell(stage, done, None if total is None else max(total, done))
            if not more:
                return
    finally:
        ahead.shutdown(wait=False, cancel_futures=True)  # a page asked for ahead of a failure is dropped


def _pull(run: _Run) -> None:
    with run.factory.begin() as session:
        cursor = state.get(session, state.CURSOR)
        if reread_needed(session, knows_entity) and cursor:  # an upgrade knows what earlier pulls skipped
            cursor = ""
            state.write(session, {state.CURSOR: cursor})
        held = take_held(session)
        if held:  # rows an earlier pull set aside: an upgraded workbench stores them now
            applied = apply_changes(session, held)
            run.messages.extend(applied.problems)

    def store(session: Session, next_cursor: str, _more: bool) -> None:
        state.write(session, {state.CURSOR: next_cursor})

    _pull_pages(run, STAGE_PULL, cursor, None, store)


def _backfill(run: _Run) -> None:
    from sqlalchemy import update

    from app.models import SyncScope

    with run.factory() as session:
        pending = backfills(session)
    for scope, cursor in pending:

        def store(session: Session, next_cursor: str, more: bool, scope: str = scope) -> None:
            session.execute(update(SyncScope).where(SyncScope.scope == scope)
                            .values(backfill_cursor=next_cursor if more else None))

        try:
            _pull_pages(run, STAGE_BACKFILL, cursor or "", scope, store)
        except _Reset:  # its position is from before a server restore: read the scope again next run
            with run.factory.begin() as session:
                session.execute(update(SyncScope).where(SyncScope.scope == scope).values(backfill_cursor=""))
