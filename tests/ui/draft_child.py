"""Child process of test_org_drafts.py: opens 新建组织, types into it as a user would, and reports once the
draft is on disk; then keeps running until the test kills it with SIGKILL.

Usage: python tests/ui/draft_child.py DATABASE_PATH   (DANGJIAN_HOME comes from the environment)
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from app.services.core.database import open_database
from app.services.orgs.dto import OrgType
from app.ui.appsetup import configure_application
from app.ui.bus import ChangeBus
from app.ui.context import UiContext
from app.ui.dialogs.org_dialog import OrgDialog
from app.ui.tasks import TaskRunner

TYPED = {"name": "鼓楼区崩溃测试协会", "registration_authority": "鼓楼区民政局", "contact_phone": "0591-87654321",
         "founded_on": "2021.3", "member_count": "25"}


def ime_type(widget: QWidget, text: str) -> None:
    for char in text:
        event = QInputMethodEvent()
        event.setCommitString(char)
        QApplication.sendEvent(widget, event)
        QApplication.processEvents()


def main() -> None:
    app = QApplication(sys.argv[:1])
    configure_application(app)
    runner = TaskRunner()
    ctx = UiContext(open_database(Path(sys.argv[1])), runner, ChangeBus(), "child")
    dialog = OrgDialog(ctx)
    dialog.show()
    dialog.editor("org_type").set_value(OrgType.FOUNDATION)
    for name, text in TYPED.items():
        editor = dialog.editor(name)
        target = editor.line if name == "founded_on" else editor
        if text.isascii():
            QTest.keyClicks(target, text)
        else:
            ime_type(target, text)
    path = dialog.drafts.store.path_of("org", "new")
    deadline = time.monotonic() + 30
    while (dialog.drafts.pending or not path.exists()) and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    print("DRAFT-SAVED" if path.exists() else "NO-DRAFT", flush=True)
    app.exec()  # a user still at the form, until the power goes


if __name__ == "__main__":
    main()
