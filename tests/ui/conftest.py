"""UI test fixtures: a configured QApplication, a UI context over the migrated test database with the
synchronous task runner, and a helper that adds organizations through the real service."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from itertools import count
from typing import Any

import pytest
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from app.domain import uscc
from app.services.core.database import Database
from app.services.orgs import organizations
from app.services.orgs.dto import OrgDetail, OrgInput, OrgType
from app.ui.appsetup import configure_application
from app.ui.bus import ChangeBus
from app.ui.context import UiContext
from app.ui.tasks import ImmediateTaskRunner

TYPE_DIGIT = {OrgType.SOCIAL_GROUP: "1", OrgType.SOCIAL_SERVICE: "2", OrgType.FOUNDATION: "3"}
_serial = count(1)


class Codes:
    """统一社会信用代码 for tests (``codes`` fixture)."""

    @staticmethod
    def valid(org_type: OrgType = OrgType.SOCIAL_GROUP) -> str:
        """A fresh, checksum-valid code of the right type (unique within a test session)."""
        return uscc.make_code(TYPE_DIGIT[org_type], "110105", f"MJ{next(_serial):07d}")

    @staticmethod
    def bad_checksum(code: str) -> str:
        """The same code with a wrong check character."""
        return code[:17] + next(ch for ch in uscc.CHARSET if ch != code[17])


@pytest.fixture
def codes() -> Codes:
    return Codes()


def ime_type(widget: QWidget, text: str) -> None:
    """Type Chinese the way an input method delivers it: one committed string per character.
    (QTest.keyClicks only knows keys, and aborts on characters outside Latin-1.)"""
    for char in text:
        event = QInputMethodEvent()
        event.setCommitString(char)
        QApplication.sendEvent(widget, event)


@pytest.fixture
def type_chinese() -> Callable[[QWidget, str], None]:
    return ime_type


@pytest.fixture(autouse=True, scope="session")
def configured_app(qapp: QApplication) -> QApplication:
    configure_application(qapp)
    return qapp


@pytest.fixture
def runner() -> ImmediateTaskRunner:
    return ImmediateTaskRunner()


@pytest.fixture
def ctx(db: Database, runner: ImmediateTaskRunner) -> Iterator[UiContext]:
    yield UiContext(db, runner, ChangeBus(), "test:ui")
    runner.shutdown()


@pytest.fixture
def add_org(db: Database) -> Callable[..., OrgDetail]:
    """Create an organization through the service: ``add_org("名称", org_type=..., **fields)``."""

    def add(name: str, org_type: OrgType = OrgType.SOCIAL_GROUP, **fields: Any) -> OrgDetail:
        if "uscc" not in fields and org_type is not OrgType.COMMUNITY_FILED:
            fields["uscc"] = Codes.valid(org_type)
        if org_type is not OrgType.COMMUNITY_FILED:
            fields.setdefault("registration_authority", "朝阳区民政局")  # a registered organization names it
        fields.setdefault("founded_on", date(2015, 6, 1))
        data = OrgInput(name=name, org_type=org_type, **fields)
        return organizations.create_org(db.session_factory, data, actor="test:ui")

    return add
