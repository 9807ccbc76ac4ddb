"""The main window: composes the navigation list, one view at a time, and the status bar.

It decides nothing about the domain; sections are added here only once they exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from app import APP_NAME, __version__
from app.services.core.error_text import describe_error
from app.ui.context import UiContext
from app.ui.itemmodels.ledger_model import LedgerModel
from app.ui.views.ledger_view import LedgerView


@dataclass(frozen=True)
class Section:
    title: str
    build: Callable[[UiContext], QWidget]


def _ledger(ctx: UiContext) -> QWidget:
    return LedgerView(LedgerModel(ctx), ctx)


# 工作台 / 三会一课 / 走访 / 整改 / 文书 / 同步 join this list as they are built
SECTIONS: tuple[Section, ...] = (Section("组织台账", _ledger),)


class MainWindow(QMainWindow):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setWindowTitle(APP_NAME)
        self.resize(1280, 800)
        self.nav = QListWidget()
        self.nav.setFixedWidth(132)
        self.nav.setIconSize(QSize(0, 0))
        self.nav.setObjectName("navigation")
        self.stack = QStackedWidget()
        self.views: dict[str, QWidget] = {}
        for section in SECTIONS:
            self._add_section(section)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(0)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.statusBar().addPermanentWidget(QLabel(f"数据库：{ctx.database.path.name}　版本 {__version__}"))
        self.nav.setStyleSheet(
            "QListWidget#navigation { font-size: 15px; border: none; background: #f1f3f4; padding-top: 8px;"
            " outline: 0; }"
            "QListWidget#navigation::item { padding: 10px 14px; border: none; }"
            "QListWidget#navigation::item:selected { background: #c2342b; color: white; }"
        )

    def _add_section(self, section: Section) -> None:
        view = section.build(self._ctx)
        status = getattr(view, "statusMessage", None)
        if status is not None:
            status.connect(lambda text: self.statusBar().showMessage(text, 8000))
        item = QListWidgetItem(section.title)
        item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.nav.addItem(item)
        self.stack.addWidget(view)
        self.views[section.title] = view

    def section_titles(self) -> list[str]:
        return [self.nav.item(i).text() for i in range(self.nav.count())]

    def show_error(self, exc: BaseException) -> None:
        """Default handler for a background task that failed with nobody listening."""
        QMessageBox.critical(self, "出错了", describe_error(exc))
