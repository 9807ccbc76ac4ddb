"""The server's one clock (DESIGN §3 Time, as app.services.core.clock is the client's): instants in UTC, the
district's civil date, and epoch seconds for tokens.  Nothing else in ``server`` reads the system clock; tests
inject a source with :func:`set_source`.  Server instants stamp rows and tokens only — the order of changes
is the version counter's, never a clock's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

DISTRICT_ZONE = ZoneInfo("Asia/Shanghai")


def _system() -> datetime:
    return datetime.now(UTC)


_source: Callable[[], datetime] = _system


def set_source(source: Callable[[], datetime] | None) -> Callable[[], datetime]:
    """Use ``source`` (an aware datetime factory; None: the system clock) and return the previous one."""
    global _source
    previous, _source = _source, source or _system
    return previous


def now() -> datetime:
    """This instant, aware, in UTC."""
    return _source().astimezone(UTC)


def now_text() -> str:
    """This instant as ISO-8601 text (how instants travel in a record's data)."""
    return now().isoformat()


def district_today() -> date:
    """Today's civil date in the district (assignments run from it)."""
    return now().astimezone(DISTRICT_ZONE).date()


def epoch_seconds() -> int:
    """Whole seconds since the epoch (access tokens' expiry)."""
    return int(now().timestamp())
