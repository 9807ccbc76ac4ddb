"""Confirmed notice numbers (GB/T 9704 发文字号), allocated by the server on push (DESIGN §4).

A client numbers a notice provisionally when it is 签发 offline; the first push that carries it in a numbered
state gets the next sequence of its series (机关代字) and year, which the client then prints instead.  The
counter row is updated inside the push transaction, after the district version counter was bumped, so two
pushes never draw the same number (the version counter's lock serializes them; PostgreSQL also locks the
counter row itself).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import NoticeCounter

NOTICE_ENTITY = "notice"
# Statuses that carry no number: a 草稿 has none yet, a 作废 voided before issue never needs one.
UNNUMBERED_STATUSES = frozenset({"DRAFT", "VOID"})


def needs_number(entity: str, data: Mapping[str, Any]) -> bool:
    """Whether a notice in this state should get its confirmed sequence now."""
    return (entity == NOTICE_ENTITY and data.get("status") not in UNNUMBERED_STATUSES
            and data.get("status") is not None and data.get("confirmed_seq") is None
            and bool(data.get("series")) and isinstance(data.get("year"), int))


def allocate(session: Session, *, series: str, year: int) -> int:
    """The next confirmed sequence of ``series`` in ``year`` (1 for the first), recorded in the counter."""
    counter = session.execute(
        select(NoticeCounter).where(NoticeCounter.series == series, NoticeCounter.year == year).with_for_update()
    ).scalar_one_or_none()
    if counter is None:
        counter = NoticeCounter(series=series, year=year, last_seq=0)
        session.add(counter)
    counter.last_seq += 1
    session.flush()
    return counter.last_seq


def number_notice(session: Session, entity: str, data: dict[str, Any]) -> dict[str, Any] | None:
    """Give ``data`` (a notice's merged state, changed in place) its confirmed sequence when it needs one;
    return the wire ``notice_number`` ({series, year, confirmed_seq}) or None."""
    if not needs_number(entity, data):
        return None
    data["confirmed_seq"] = allocate(session, series=data["series"], year=data["year"])
    return {"series": data["series"], "year": data["year"], "confirmed_seq": data["confirmed_seq"]}
