"""Every allowed and every refused step of DESIGN §2.1, through the service: an allowed one moves the item
(and the history says from where to where), a refused one says why in Chinese and writes nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import pytest
from sqlalchemy import select

from app.domain.enums import RectificationFollowUpKind as Kind
from app.domain.enums import RectificationStatus as Status
from app.domain.rectification_flow import STAYING, TRANSITIONS, allowed_kinds
from app.models import Rectification
from app.services.core.database import Database
from app.services.core.errors import ValidationFailed
from app.services.rectification import append_follow_up, load_item
from tests.rectification_data import ACTOR, counts

DAY = date(2026, 3, 10)
PATH = (Kind.ISSUE, Kind.ACKNOWLEDGE, Kind.START, Kind.REPORT)
REACH: dict[Status, tuple[Kind, ...]] = {
    Status.DRAFT: (), Status.ISSUED: PATH[:1], Status.ACKNOWLEDGED: PATH[:2], Status.IN_PROGRESS: PATH[:3],
    Status.REPORTED: PATH, Status.REVIEW_PASSED: (*PATH, Kind.REVIEW_PASS),
    Status.REVIEW_FAILED: (*PATH, Kind.REVIEW_FAIL), Status.CLOSED: (*PATH, Kind.REVIEW_PASS, Kind.CLOSE),
}
ALLOWED = [(status, kind) for status in Status for kind in allowed_kinds(status)]
REFUSED = [(status, kind) for status in Status for kind in Kind if kind not in allowed_kinds(status)]


def step(db: Database, item_id: str, kind: Kind, on_date: date = DAY, **extra: object) -> str:
    """Append ``kind`` with what it needs (a text, a later deadline for a 延期)."""
    values: dict[str, object] = {"note": f"{kind.label}说明"}
    if kind is Kind.EXTEND:
        values["new_deadline"] = date(2026, 4, 30)
    values.update(extra)
    return append_follow_up(db.session_factory, item_id, kind=kind, on_date=on_date, actor=ACTOR,
                            **values)  # type: ignore[arg-type]


def advance(db: Database, item_id: str, kinds: Sequence[Kind]) -> None:
    for kind in kinds:
        step(db, item_id, kind)


def test_the_matrix_covers_every_status_and_kind() -> None:
    assert len(ALLOWED) + len(REFUSED) == len(Status) * len(Kind)
    assert {s for s, _ in ALLOWED} == set(Status)  # 备注 at least, everywhere


@pytest.mark.parametrize(("status", "kind"), ALLOWED, ids=[f"{s.label}-{k.label}" for s, k in ALLOWED])
def test_each_allowed_step(db: Database, make_item: Callable[..., str], status: Status, kind: Kind) -> None:
    item_id = make_item()
    advance(db, item_id, REACH[status])
    assert load_item(db.session_factory, item_id).status is status
    step(db, item_id, kind)
    expected = TRANSITIONS[kind][status] if kind in TRANSITIONS else status
    detail = load_item(db.session_factory, item_id)
    assert detail.status is expected
    last = detail.follow_ups[-1]
    assert (last.kind, last.from_status, last.to_status, last.on_date, last.actor) == (
        kind, status, expected, DAY, ACTOR)
    assert [f.kind for f in detail.follow_ups] == [*REACH[status], kind]
    with db.session_factory() as session:  # the stored status agrees with the history
        assert session.execute(select(Rectification.status)).scalar_one() is expected
    assert kind in STAYING or detail.allowed_kinds == allowed_kinds(expected)


@pytest.mark.parametrize(("status", "kind"), REFUSED, ids=[f"{s.label}-{k.label}" for s, k in REFUSED])
def test_each_refused_step_says_why_and_writes_nothing(db: Database, make_item: Callable[..., str], status: Status,
                                                       kind: Kind) -> None:
    item_id = make_item()
    advance(db, item_id, REACH[status])
    before = counts(db)
    with pytest.raises(ValidationFailed) as refused:
        step(db, item_id, kind)
    message = refused.value.problems["kind"]
    assert f"当前为「{status.label}」" in message and f"不能「{kind.label}」" in message
    assert "此时可以：" + "、".join(k.label for k in allowed_kinds(status)) in message
    assert counts(db) == before
    assert load_item(db.session_factory, item_id).status is status


def test_the_whole_flow_with_a_failed_recheck(db: Database, make_item: Callable[..., str]) -> None:
    item_id = make_item()
    advance(db, item_id, (*PATH, Kind.REVIEW_FAIL, Kind.START, Kind.REPORT, Kind.REVIEW_PASS, Kind.CLOSE))
    detail = load_item(db.session_factory, item_id)
    assert detail.status is Status.CLOSED
    assert [(f.from_status, f.to_status) for f in detail.follow_ups][4:6] == [
        (Status.REPORTED, Status.REVIEW_FAILED), (Status.REVIEW_FAILED, Status.IN_PROGRESS)]
    assert detail.allowed_kinds == (Kind.NOTE,)
