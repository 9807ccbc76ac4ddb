"""Reading changes for a pull (DESIGN §4, SYNC.md §8.4): the cursor and the page query.

A cursor is opaque to clients: urlsafe base64 of JSON ``{"i": instance id, "v": version}``.  A cursor of
another server instance (a database restored or replaced) or ahead of this server's version cannot be
continued: :class:`CursorReset`, and the client starts again from 0 and reconciles.

The page reads only versions up to the counter's committed value read first in the transaction (the
committed watermark): a push that bumped the counter but has not committed is never skipped by a cursor that
moved past it.  The query runs on the version index, or the (scope, version) / (audience, version) indexes:
its cost follows the size of the delta, not of the district.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, Select, Text, cast, func, or_, select
from sqlalchemy.orm import Session

from server.models import Record
from server.store import current_version


def watermark(session: Session) -> int:
    """The highest committed version: pages never go beyond it."""
    return current_version(session)


class CursorReset(Exception):
    """The cursor cannot be continued on this server: start again from 0."""


def encode_cursor(instance_id: str, version: int) -> str:
    raw = json.dumps({"i": instance_id, "v": version}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, instance_id: str, high_water: int) -> int:
    """The version a cursor stands at (0 for none); CursorReset when this server cannot continue it."""
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        decoded = json.loads(raw)
        cursor_instance, version = decoded["i"], decoded["v"]
    except (binascii.Error, ValueError, KeyError, TypeError) as error:
        raise CursorReset("同步位置无法识别") from error
    if not isinstance(version, int) or version < 0 or cursor_instance != instance_id:
        raise CursorReset("服务器已更换或从备份恢复")
    if version > high_water:
        raise CursorReset("同步位置超过了服务器的数据版本（服务器可能从备份恢复）")
    return version


@dataclass(frozen=True)
class Page:
    changes: list[str]  # each change (wire.Change) as JSON text, its stored data spliced in unparsed
    last_version: int
    has_more: bool
    high_water: int
    remaining: int | None = None  # asked for (``count``): this page's changes and all after it

    def body(self, next_cursor: str) -> bytes:
        """The page as a wire.PullPage JSON document."""
        tail: dict[str, object] = {"next_cursor": next_cursor, "has_more": self.has_more,
                                   "server_version": self.high_water}
        if self.remaining is not None:
            tail["remaining"] = self.remaining
        text = json.dumps(tail, separators=(",", ":"))
        return ('{"changes":[' + ",".join(self.changes) + "]," + text[1:]).encode()


# A change's columns, its data as the stored JSON text: a page is served without parsing and re-encoding
# every record (that was most of a pull's server time, bench/sync.py).
_CHANGE_COLUMNS = (Record.entity, Record.id, Record.scope, Record.version, Record.deleted,
                   cast(Record.data, Text).label("data_json"))


def change_json(row: Row[str, str, str, int, bool, str]) -> str:
    """A change on the wire (the keys of server.push.record_json) as JSON text."""
    head = json.dumps({"entity": row.entity, "id": row.id, "scope": row.scope, "version": int(row.version),
                       "deleted": bool(row.deleted)}, ensure_ascii=False, separators=(",", ":"))
    return f'{head[:-1]},"data":{row.data_json}}}'


def page_query(after: int, up_to: int, *, scopes: frozenset[str] | None, audience: str | None,
               limit: int | None) -> Select[Record]:
    """Rows with ``after`` < version <= ``up_to`` readable through ``scopes`` (None: every row) or addressed
    to ``audience``, in version order, one more than ``limit`` (to know whether more follow; None: all)."""
    query = select(Record).where(Record.version > after, Record.version <= up_to)
    if scopes is not None:
        readable = Record.scope.in_(sorted(scopes))
        query = query.where(or_(readable, Record.audience == audience) if audience is not None else readable)
    query = query.order_by(Record.version)
    return query if limit is None else query.limit(limit + 1)


def count_changes(session: Session, after: int, up_to: int, *, scopes: frozenset[str] | None,
                  audience: str | None) -> int:
    """How many changes a pull from ``after`` to ``up_to`` holds in all (a progress bar's total)."""
    return int(session.execute(count_query(after, up_to, scopes=scopes, audience=audience)).scalar_one())


def count_query(after: int, up_to: int, *, scopes: frozenset[str] | None, audience: str | None) -> Select[Any]:
    """The page query counted, on the same index: it too follows the size of the delta."""
    query = page_query(after, up_to, scopes=scopes, audience=audience, limit=None).order_by(None)
    return select(func.count()).select_from(query.with_only_columns(Record.version).subquery())


def read_page(session: Session, after: int, high_water: int, *, scopes: frozenset[str] | None,
              audience: str | None, limit: int) -> Page:
    """One page of changes after version ``after`` up to ``high_water`` (:func:`watermark`, read first in the
    transaction, before the cursor is checked against it; see :func:`page_query`).

    A page holds whole versions only, since the cursor is a version: one push writes many rows at one
    version, and a page cut inside it would lose the rest.  So a page ends before the version the limit
    falls in, or, when that version alone fills the page, holds all of its rows (more than ``limit``)."""
    rows = list(session.execute(page_query(after, high_water, scopes=scopes, audience=audience,
                                           limit=limit).with_only_columns(*_CHANGE_COLUMNS)))
    has_more = len(rows) > limit
    if has_more:
        boundary = rows[limit].version
        rows = [row for row in rows[:limit] if row.version < boundary] or list(session.execute(
            page_query(boundary - 1, boundary, scopes=scopes, audience=audience, limit=None)
            .with_only_columns(*_CHANGE_COLUMNS)))
    # The last page moves the cursor to the watermark: versions in between were not the caller's.
    last = rows[-1].version if has_more else high_water
    return Page([change_json(row) for row in rows], last, has_more, high_water)
