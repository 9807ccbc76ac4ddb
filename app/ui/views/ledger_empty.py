"""What the 组织台账 shows instead of an empty table: how to start, or how to widen the filter."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class LedgerEmptyState(QWidget):
    newRequested = Signal()
    importRequested = Signal()  # 导入 Excel 台账…: most instructors arrive with their sheet
    demoRequested = Signal()
    clearFiltersRequested = Signal()
    archivedRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.new_button = QPushButton("新建组织")
        self.import_button = QPushButton("导入 Excel 台账…")
        self.import_button.setToolTip("从 Excel（.xlsx、.xls）或 CSV 表格导入已有的社会组织台账，导入前可预览每一行")
        self.demo_button = QPushButton("载入演示数据")
        self.demo_button.setToolTip("在单独的“演示数据”中生成福州市鼓楼区的 300 个演示组织"
                                    "及三年的三会一课、走访和整改记录（不影响您的数据）")
        self.clear_button = QPushButton("清除筛选条件")
        self.archived_button = QPushButton("查看已归档组织")
        self.archived_button.clicked.connect(self.archivedRequested)
        self.new_button.clicked.connect(self.newRequested)
        self.import_button.clicked.connect(self.importRequested)
        self.demo_button.clicked.connect(self.demoRequested)
        self.clear_button.clicked.connect(self.clearFiltersRequested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.import_button, self.new_button, self.demo_button, self.clear_button,
                       self.archived_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addStretch(2)

    def show_for(self, *, filtered: bool) -> None:
        """An empty ledger invites a first entry or demo data; an empty result offers to clear filters."""
        if filtered:
            self.message.setText("没有符合当前搜索和筛选条件的组织。")
        else:
            self.message.setText("台账中还没有组织。\n"
                                 "可以导入现有的 Excel 台账、逐个新建，或先载入演示数据看看各项功能。")
        self.import_button.setVisible(not filtered)
        self.new_button.setVisible(not filtered)
        self.demo_button.setVisible(not filtered)
        self.clear_button.setVisible(filtered)
        self.archived_button.setVisible(False)
        self.demo_button.setEnabled(True)

    def show_archived_only(self, archived: int) -> None:
        """No organization in the ledger, but some archived: never invite demo data into real data."""
        self.message.setText(f"在册组织为 0，另有 {archived:,} 个已归档组织。")
        self.import_button.setVisible(True)
        self.new_button.setVisible(True)
        self.demo_button.setVisible(False)
        self.clear_button.setVisible(False)
        self.archived_button.setVisible(True)
