"""Fixtures of the 整改 service tests: an organization, items made through the service, a movable civil day."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest

from app.services.core import clock
from app.services.core.database import Database
from app.services.rectification import create_item
from tests.rectification_data import ACTOR, add_org, at_noon, item_input


@pytest.fixture
def today() -> Iterator[Callable[[date], None]]:
    """The clock at noon of 2026-03-10 in the district; ``today(day)`` moves it to noon of ``day``."""
    with clock.frozen(at_noon(date(2026, 3, 10))) as frozen:

        def move(day: date) -> None:
            frozen.move_to(at_noon(day))

        yield move


@pytest.fixture
def org(db: Database) -> str:
    return add_org(db)


@pytest.fixture
def make_item(db: Database, org: str, today: Callable[[date], None]) -> Callable[..., str]:
    def make(**changes: object) -> str:
        return create_item(db.session_factory, item_input(org, **changes), actor=ACTOR)

    return make
