"""The notices' tests print and issue documents: the instructor's name is filled in unless a test clears it."""

from __future__ import annotations

import pytest

from app.services.core.database import Database
from app.services.notices.settings import store_instructor_in

INSTRUCTOR_NAME, INSTRUCTOR_PHONE = "林晓梅", "13812345678"


@pytest.fixture(autouse=True)
def _instructor_named(request: pytest.FixtureRequest) -> None:
    if "db" not in request.fixturenames:
        return
    db: Database = request.getfixturevalue("db")
    with db.session_factory.begin() as session:
        store_instructor_in(session, INSTRUCTOR_NAME, INSTRUCTOR_PHONE)
