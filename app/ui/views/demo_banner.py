"""The bar above every view while the demo profile is open: says 演示数据 and offers the way out."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

BANNER_TEXT = ("演示数据：这里的组织和记录都是虚构的，单独保存在演示用户配置中，"
               "不会同步，也不会混入您的数据。")


class DemoBanner(QFrame):
    backRequested = Signal()
    deleteRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("demoBanner")
        self.setStyleSheet("QFrame#demoBanner { background: #fff4ce; border-bottom: 1px solid #e0c060; }"
                           "QLabel { color: #5c4400; }")
        self.label = QLabel(f"<b>{BANNER_TEXT.split('：', 1)[0]}</b>：{BANNER_TEXT.split('：', 1)[1]}")
        self.label.setWordWrap(True)
        self.back_button = QPushButton("回到我的数据")
        self.delete_button = QPushButton("删除演示数据")
        self.back_button.clicked.connect(self.backRequested)
        self.delete_button.clicked.connect(self.deleteRequested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.back_button)
        layout.addWidget(self.delete_button)

    def set_enabled_actions(self, enabled: bool) -> None:
        """Off while a switch or a load is running (one thing at a time)."""
        self.back_button.setEnabled(enabled)
        self.delete_button.setEnabled(enabled)
