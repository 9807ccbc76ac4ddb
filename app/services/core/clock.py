"""The one clock (DESIGN §3 Time): nothing else in ``app`` reads the system clock (ruff's DTZ rules).

Two kinds of time, never mixed:

* an *instant* (``created_at``, ``updated_at``, ``deleted_at``, sync times) is a timezone-aware UTC
  ``datetime``: :func:`now` gives one;
* a *civil* time (when a meeting was held, a visit's day and hour, deadlines, founding dates) is what a
  wall clock and calendar in the district show: a ``date``, or a **naive** ``datetime`` meaning local
  time in :func:`district_zone`.  :func:`today` gives the civil date; :func:`to_civil` turns an instant
  into the civil time it was (naive, so it compares with stored civil times), :func:`from_civil` back.

Tests inject the time with :func:`frozen` (or :func:`set_source`) and the zone with
:func:`set_district_zone`; ``tests/conftest.py`` has fixtures for both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "DEFAULT_ZONE", "FrozenClock", "civil_date", "civil_now", "district_zone", "from_civil", "frozen", "now",
    "reset", "set_district_zone", "set_source", "to_civil", "today",
]

DEFAULT_ZONE = "Asia/Shanghai"

Source = Callable[[], datetime]


def _system_now() -> datetime:
    return datetime.now(UTC)


_source: Source = _system_now
_zone = ZoneInfo(DEFAULT_ZONE)


def now() -> datetime:
    """The current instant, timezone-aware UTC."""
    return _as_utc(_source(), "时钟来源")


def today() -> date:
    """The current civil date in the district's zone (at 07:30 in Beijing it is already today there,
    though UTC still shows yesterday)."""
    return to_civil(now()).date()


def civil_now() -> datetime:
    """The current civil time in the district (naive local), e.g. to prefill a meeting's start."""
    return to_civil(now())


def district_zone() -> ZoneInfo:
    """The zone civil times are kept in (a setting; default Asia/Shanghai)."""
    return _zone


def set_district_zone(name: str) -> ZoneInfo:
    """Use the IANA zone ``name`` for civil times from now on; returns the zone used before."""
    global _zone
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"未知的时区“{name}”：请填写 IANA 时区名称，例如 Asia/Shanghai") from exc
    previous, _zone = _zone, zone
    return previous


def to_civil(instant: datetime) -> datetime:
    """The civil time (naive, local to the district) at ``instant``: 2026-03-31T16:30Z is
    2026-04-01 00:30 in Asia/Shanghai.  A naive ``instant`` is refused: it would be a guess."""
    return _as_utc(instant, "时间点").astimezone(_zone).replace(tzinfo=None)


def civil_date(instant: datetime) -> date:
    """The district's calendar day at ``instant``."""
    return to_civil(instant).date()


def from_civil(civil: datetime) -> datetime:
    """The instant (aware UTC) at which the district's clocks showed ``civil`` (naive local time).
    In a repeated hour at the end of summer time the earlier one is taken (``fold=0``)."""
    if civil.tzinfo is not None:
        raise ValueError(f"本地时间不应带时区：{civil.isoformat()}")
    return civil.replace(tzinfo=_zone).astimezone(UTC)


def set_source(source: Source) -> Source:
    """Read the time from ``source`` (which returns aware datetimes) from now on; returns the source
    used before, so a caller can put it back."""
    global _source
    previous, _source = _source, source
    return previous


def reset() -> None:
    """Back to the system clock and the default zone (tests' teardown)."""
    global _source, _zone
    _source, _zone = _system_now, ZoneInfo(DEFAULT_ZONE)


class FrozenClock:
    """A clock that stands still at one instant until moved (see :func:`frozen`)."""

    def __init__(self, at: datetime) -> None:
        self.at = _as_utc(at, "冻结时间")

    def __call__(self) -> datetime:
        return self.at

    def advance(self, by: timedelta) -> datetime:
        self.at += by
        return self.at

    def move_to(self, at: datetime) -> datetime:
        self.at = _as_utc(at, "冻结时间")
        return self.at


@contextmanager
def frozen(at: datetime) -> Iterator[FrozenClock]:
    """Within the block :func:`now` returns ``at`` (aware) until the yielded clock is moved."""
    clock = FrozenClock(at)
    previous = set_source(clock)
    try:
        yield clock
    finally:
        set_source(previous)


def _as_utc(value: datetime, what: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what}缺少时区：{value.isoformat()}（时间点必须是带时区的 UTC 时间）")
    return value.astimezone(UTC)
