"""What the 工作台 shows when there is nothing to grid: how to start (an empty database), or how to get a
党组织 into the grid (organizations, but no 党组织 among them)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

PARTY_SECTION = "党组织"
SYNC_SECTION = "同步"


class DashboardEmptyState(QWidget):
    importRequested = Signal()
    demoRequested = Signal()
    partyRequested = Signal()  # go to the 党组织 section to create one
    syncRequested = Signal()  # go to the 同步 section to sign in (the district's organizations come from there)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.import_button = QPushButton("导入 Excel 台账…")
        self.import_button.setToolTip("从 Excel（.xlsx、.xls）或 CSV 表格导入已有的社会组织台账，导入前可预览每一行")
        self.demo_button = QPushButton("载入演示数据")
        self.demo_button.setToolTip("在单独的“演示数据”中生成福州市鼓楼区的 300 个演示组织"
                                    "及三年的三会一课、走访和整改记录（不影响您的数据）")
        self.party_button = QPushButton(f"前往“{PARTY_SECTION}”")
        self.sign_in_button = QPushButton("登录区服务器…")
        self.sign_in_button.setToolTip("区里已分配账号时：登录后，您负责的组织从区服务器同步到本机")
        self.sign_in_button.clicked.connect(self.syncRequested)
        self.import_button.clicked.connect(self.importRequested)
        self.demo_button.clicked.connect(self.demoRequested)
        self.party_button.clicked.connect(self.partyRequested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.sign_in_button, self.import_button, self.demo_button, self.party_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addStretch(2)
        self.party_section_available = False

    def show_no_data(self, *, can_sign_in: bool = True) -> None:
        """A new database: nothing to show yet (``can_sign_in``: not the demo profile, which never syncs)."""
        self.message.setText("还没有任何组织。工作台按月显示您负责的党组织落实“三会一课”等制度的情况。\n"
                             "区里已给您分配账号的，登录区服务器即可取得负责的组织；也可以先导入现有的 Excel 台账，"
                             "或载入演示数据看看各项功能。")
        self._buttons(import_=True, demo=True, party=False, sign_in=can_sign_in)

    def show_no_party_org(self, *, org_count: int, mine: bool) -> None:
        """Organizations, but no 党组织 (among mine, if ``mine``)."""
        whose = f"您负责的 {org_count:,} 个组织" if mine else f"台账中的 {org_count:,} 个组织"
        where = f"在“{PARTY_SECTION}”中新建党组织并选择它覆盖的组织" if self.party_section_available else \
            "建立党组织并登记它覆盖的组织"
        self.message.setText(f"{whose}还没有党组织。\n{where}后，这里按月显示各党组织"
                             "落实“三会一课”等制度的情况；有 3 名以上正式党员的组织列在右侧“应建未建”中。")
        self._buttons(import_=False, demo=False, party=self.party_section_available, sign_in=False)

    def _buttons(self, *, import_: bool, demo: bool, party: bool, sign_in: bool) -> None:
        self.sign_in_button.setVisible(sign_in)
        self.import_button.setVisible(import_)
        self.demo_button.setVisible(demo)
        self.demo_button.setEnabled(True)
        self.party_button.setVisible(party)
