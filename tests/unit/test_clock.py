"""The one clock (DESIGN §3 Time): instants are aware UTC, civil times are the district's wall clock."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from app.services.core import clock

APP = Path(__file__).resolve().parents[2] / "app"


@pytest.fixture
def computer_in_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The computer's own zone is UTC: the district's zone must still decide (it did not before)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.delenv("TZ")
    time.tzset()


def test_an_instant_at_noon_utc_is_eight_in_the_evening_in_the_district() -> None:
    assert clock.to_civil(datetime(2026, 3, 31, 12, 0, tzinfo=UTC)) == datetime(2026, 3, 31, 20, 0)


def test_an_instant_late_on_31_march_utc_is_already_1_april_in_the_district() -> None:
    assert clock.to_civil(datetime(2026, 3, 31, 16, 30, tzinfo=UTC)) == datetime(2026, 4, 1, 0, 30)
    assert clock.civil_date(datetime(2026, 3, 31, 16, 30, tzinfo=UTC)) == date(2026, 4, 1)


def test_civil_times_are_naive_and_instants_aware() -> None:
    civil = clock.to_civil(datetime(2026, 3, 31, 12, 0, tzinfo=UTC))
    assert civil.tzinfo is None
    instant = clock.from_civil(civil)
    assert instant == datetime(2026, 3, 31, 12, 0, tzinfo=UTC) and instant.utcoffset() == timedelta(0)


def test_a_naive_value_is_never_taken_for_an_instant() -> None:
    with pytest.raises(ValueError, match="缺少时区"):
        clock.to_civil(datetime(2026, 3, 31, 12, 0))
    with pytest.raises(ValueError, match="不应带时区"):
        clock.from_civil(datetime(2026, 3, 31, 20, 0, tzinfo=UTC))


def test_now_is_aware_utc_and_today_is_the_districts_day(computer_in_utc: None,
                                                          frozen_clock: clock.FrozenClock) -> None:
    assert clock.now() == datetime(2026, 3, 31, 12, 0, tzinfo=UTC)
    assert clock.now().tzinfo is UTC
    assert clock.today() == date(2026, 3, 31)
    frozen_clock.move_to(datetime(2026, 3, 31, 16, 30, tzinfo=UTC))
    assert clock.today() == date(2026, 4, 1)  # the computer (UTC) still says 31 March
    assert clock.civil_now() == datetime(2026, 4, 1, 0, 30)
    frozen_clock.advance(timedelta(hours=1))
    assert clock.now() == datetime(2026, 3, 31, 17, 30, tzinfo=UTC)


def test_a_frozen_clock_is_released_after_its_block() -> None:
    with clock.frozen(datetime(2000, 1, 1, tzinfo=UTC)):
        assert clock.now().year == 2000
    assert clock.now().year > 2000


def test_a_source_giving_naive_times_is_refused() -> None:
    clock.set_source(lambda: datetime(2026, 3, 31, 12, 0))
    with pytest.raises(ValueError, match="缺少时区"):
        clock.now()


def test_the_district_zone_is_a_setting(frozen_clock: clock.FrozenClock) -> None:
    previous = clock.set_district_zone("Asia/Urumqi")
    assert previous.key == clock.DEFAULT_ZONE
    assert clock.to_civil(datetime(2026, 3, 31, 12, 0, tzinfo=UTC)) == datetime(2026, 3, 31, 18, 0)
    with pytest.raises(ValueError, match="未知的时区“火星/奥林帕斯”"):
        clock.set_district_zone("火星/奥林帕斯")
    assert clock.district_zone().key == "Asia/Urumqi"  # a bad setting leaves the good one in place


# Reading the system clock anywhere but clock.py: ruff's DTZ rules catch the stdlib calls; Qt's are not
# covered by ruff, so they are looked for here too.
SYSTEM_CLOCK = re.compile(
    r"\b(?:date\.today|datetime\.(?:now|utcnow|today)|QDate\.currentDate|QDateTime\.current\w*|"
    r"QTime\.currentTime)\(|time\.time\(\)|date\('now'"
)


def test_nothing_but_the_clock_module_reads_the_system_clock() -> None:
    offenders = [
        f"{path.relative_to(APP.parent)}:{number}: {line.strip()}"
        for path in APP.rglob("*.py") if path.name != "clock.py" or path.parent.name != "core"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SYSTEM_CLOCK.search(line)
    ]
    assert offenders == []


def test_the_scan_would_see_a_system_clock_read() -> None:
    for line in ("x = date.today()", "QDate.currentDate()", "datetime.now(UTC)", "datetime.utcnow()"):
        assert SYSTEM_CLOCK.search(line), line

