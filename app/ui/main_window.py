"""The main window: composes the menu bar, the demo banner, the navigation list, one view at a time, and
the status bar.

It decides nothing about the domain; sections are added here only once they exist.  When another profile
is opened (``ProfileSwitcher.switched``), every section is rebuilt around the new context.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
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
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME, __version__
from app.services.core.error_text import describe_error
from app.services.orgs.dto import LedgerFilter
from app.ui.context import UiContext
from app.ui.menus import DEMO_LEAVE_TEXT, DEMO_OPEN_TEXT, MenuActions, build_menus
from app.ui.operations import demo
from app.ui.profiles import ProfileSwitcher
from app.ui.sync_controller import SyncController
from app.ui.views.demo_banner import DemoBanner
from app.ui.widgets import FRAME_ALLOWANCE, fit_to_screen

STATUS_MS = 8000
DELETE_DEMO_QUESTION = "删除全部演示数据（演示用户配置的数据库、备份和附件）并回到我的数据？\n您自己的数据不受影响。"


@dataclass(frozen=True)
class Section:
    title: str
    build: Callable[[UiContext], QWidget]


# Each section's modules are imported when it is first shown (or looked up): start-up builds only the first.
def _dashboard(ctx: UiContext) -> QWidget:
    from app.ui.itemmodels.dashboard_model import DashboardModel
    from app.ui.views.dashboard_view import DashboardView

    return DashboardView(DashboardModel(ctx), ctx)


def _ledger(ctx: UiContext) -> QWidget:
    from app.ui.itemmodels.ledger_model import LedgerModel
    from app.ui.views.ledger_view import LedgerView

    return LedgerView(LedgerModel(ctx), ctx)


def _meetings(ctx: UiContext) -> QWidget:
    from app.ui.itemmodels.meeting_model import MeetingListModel
    from app.ui.views.meetings_view import MeetingsView

    return MeetingsView(MeetingListModel(), ctx)


def _visits(ctx: UiContext) -> QWidget:
    from app.ui.itemmodels.visit_model import PlanModel, VisitListModel
    from app.ui.views.visits_view import VisitsView

    return VisitsView(PlanModel(), VisitListModel(), ctx)


def _rectification(ctx: UiContext) -> QWidget:
    from app.ui.itemmodels.rectification_model import RectificationListModel
    from app.ui.views.rectification_view import RectificationView

    return RectificationView(RectificationListModel(), ctx)


def _party(ctx: UiContext) -> QWidget:
    from app.ui.views.party_view import PartyView  # loaded with the section, not at start-up

    return PartyView(ctx)


def _documents(ctx: UiContext) -> QWidget:
    from app.ui.itemmodels.notice_model import NoticeListModel
    from app.ui.views.documents_view import DocumentsView

    return DocumentsView(NoticeListModel(), ctx)


def _sync(ctx: UiContext) -> QWidget:
    from app.ui.views.sync_view import SyncView

    return SyncView(ctx)  # the window attaches its SyncController (attach_sync)


SYNC = "同步"
SECTIONS: tuple[Section, ...] = (Section("工作台", _dashboard), Section("组织台账", _ledger), Section("党组织", _party),
                                 Section("三会一课", _meetings), Section("走访", _visits),
                                 Section("整改", _rectification), Section("文书", _documents), Section(SYNC, _sync))
LEDGER = "组织台账"
# 编辑 → 新建 / 打开所选 say what they act on in the section shown (sections without them act on the ledger)
MENU_WORDS = {LEDGER: ("新建组织…", "打开所选组织\tEnter"), "党组织": ("新建党组织…", "编辑所选党组织\tEnter"),
              "三会一课": ("新建会议记录…", "打开所选会议记录\tEnter"), "走访": ("新建走访…", "打开所选走访\tEnter"),
              "整改": ("新建整改事项…", "打开所选整改事项\tEnter"), "文书": ("新建整改通知书…", "预览所选文书\tEnter")}


class SectionViews(Mapping[str, QWidget]):
    """The sections' views by title, each built the first time it is shown or looked up (``views[title]``);
    until then the stack holds an empty placeholder in its place."""

    def __init__(self, window: MainWindow, ctx: UiContext) -> None:
        self._window, self._ctx = window, ctx
        self._titles: list[str] = []
        self._built: dict[str, QWidget] = {}

    def add(self, title: str) -> None:
        self._titles.append(title)

    def __getitem__(self, title: str) -> QWidget:
        if title not in self._built:
            if title not in self._titles:
                raise KeyError(title)
            self._built[title] = self._window._build_section(self._titles.index(title), self._ctx)
        return self._built[title]

    def __contains__(self, title: object) -> bool:  # without building it
        return title in self._titles

    def __iter__(self) -> Iterator[str]:
        return iter(self._titles)

    def __len__(self) -> int:
        return len(self._titles)

    def built(self, title: str) -> QWidget | None:
        """The view if it has been built, without building it."""
        return self._built.get(title)

    def built_views(self) -> list[QWidget]:
        return list(self._built.values())


def profile_caption(ctx: UiContext) -> str:
    """How the open profile is named in the title and the status bar."""
    return "演示数据" if ctx.is_demo else f"我的数据（{ctx.profile}）"


class MainWindow(QMainWindow):
    PREFERRED_SIZE = QSize(1280, 800)
    FRAME_ALLOWANCE = QSize(*FRAME_ALLOWANCE)  # the window manager's title bar and borders, outside our geometry

    def __init__(self, ctx: UiContext, parent: QWidget | None = None,
                 switcher: ProfileSwitcher | None = None) -> None:
        super().__init__(parent)
        self.switcher = switcher or ProfileSwitcher(ctx, self)
        self._demo_busy = False  # opening or loading the demo: the banner's actions wait
        self.switcher.switched.connect(self._show_profile)
        self.sync = SyncController(self.switcher, self)
        self.sync_label = QLabel()
        self.sync_label.setObjectName("syncState")
        self.sync_label.setContentsMargins(0, 0, 12, 0)  # apart from the profile and database beside it
        self.sync.statusChanged.connect(self._show_sync_state)
        self.sync.runningChanged.connect(self._show_sync_state)
        self.sync.statusMessage.connect(self.show_status)
        self._fit_to_screen()
        self.nav = QListWidget()
        self.nav.setFixedWidth(132)
        self.nav.setIconSize(QSize(0, 0))
        self.nav.setObjectName("navigation")
        self.stack = QStackedWidget()
        self.views = SectionViews(self, ctx)
        self.nav.currentRowChanged.connect(self._show_row)
        self.banner = DemoBanner()
        self.banner.backRequested.connect(self.back_to_my_data)
        self.banner.deleteRequested.connect(self.delete_demo)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addLayout(body, 1)
        self.setCentralWidget(central)
        self.menus = self._build_menus()
        self.database_label = QLabel()
        self.statusBar().addPermanentWidget(self.sync_label)
        self.statusBar().addPermanentWidget(self.database_label)
        self.nav.setStyleSheet(
            "QListWidget#navigation { font-size: 15px; border: none; background: #f1f3f4; padding-top: 8px;"
            " outline: 0; }"
            "QListWidget#navigation::item { padding: 10px 14px; border: none; }"
            "QListWidget#navigation::item:selected { background: #c2342b; color: white; }"
        )
        self._show_profile(ctx)

    def _fit_to_screen(self) -> None:
        """1280×800 where it fits; on a smaller screen (1366×768 at 125 %) the available area, so the
        status bar with every message stays on screen."""
        fit_to_screen(self, (self.PREFERRED_SIZE.width(), self.PREFERRED_SIZE.height()))

    def _build_menus(self) -> MenuActions:
        """The menu bar; 导入台账… / 导出台账… are connected by the ledger's import/export."""
        menus = build_menus(self)
        menus.import_ledger.triggered.connect(self.import_ledger)
        menus.export_ledger.triggered.connect(self.export_ledger)
        menus.print_selected.triggered.connect(self.print_selected)
        menus.backup.triggered.connect(self.back_up)
        menus.restore.triggered.connect(self.restore_backup)
        menus.demo_data.triggered.connect(self._toggle_demo)
        menus.quit.triggered.connect(self.close)
        menus.new_org.triggered.connect(lambda: self._on_ledger("new_org"))
        menus.find.triggered.connect(lambda: self._on_ledger("focus_search"))
        menus.open_selected.triggered.connect(lambda: self._on_view("edit_selected"))
        menus.refresh.triggered.connect(lambda: self._on_view("refresh"))
        menus.sync_now.triggered.connect(self.sync_now)
        menus.about.triggered.connect(self.show_about)
        return menus

    def _on_view(self, method: str) -> None:
        """A menu action on the section shown, if that section has it."""
        action = getattr(self.stack.currentWidget(), method, None)
        if callable(action):
            action()

    def print_selected(self) -> None:
        """Ctrl+P: the notice selected in 文书 (a visit's or a meeting's form prints from its own window)."""
        if callable(getattr(self.stack.currentWidget(), "print_selected", None)):
            self._on_view("print_selected")
        else:
            self.statusBar().showMessage("请在“文书”中选中要打印的通知书或提醒函；走访记录表和会议记录在其记录窗口中"
                                         "用“打印”按钮（Ctrl+P）打印", 8000)

    def _on_ledger(self, method: str) -> None:
        """查找 / 新建: on the section shown when it has them (组织台账, 党组织), else the ledger is shown first."""
        if callable(getattr(self.stack.currentWidget(), method, None)):
            self._on_view(method)
        elif LEDGER in self.views:
            self.show_section(LEDGER)
            self._on_view(method)

    def show_section(self, title: str) -> bool:
        """Show the section named ``title``; False if the window has none of that name."""
        titles = self.section_titles()
        if title not in titles:
            return False
        self.nav.setCurrentRow(titles.index(title))
        return True

    @property
    def ctx(self) -> UiContext:
        return self.switcher.ctx

    def bring_forward(self) -> None:
        """A second start on this profile asked for the window (``InstanceGuard.activateRequested``)."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    # -- profiles --------------------------------------------------------------------------------
    def _show_profile(self, ctx: UiContext) -> None:
        """(Re)build every section around ``ctx``; title, banner and status bar say whose data it is."""
        current = max(self.nav.currentRow(), 0)
        self.nav.blockSignals(True)
        while (widget := self.stack.widget(0)) is not None:
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self.views = SectionViews(self, ctx)
        self.nav.clear()
        for section in SECTIONS:
            self._add_section(section)
        self.nav.blockSignals(False)
        self.nav.setCurrentRow(min(current, self.nav.count() - 1))
        self._show_row(self.nav.currentRow())
        caption = profile_caption(ctx)
        self.setWindowTitle(f"{APP_NAME} — {caption}")
        self.banner.setVisible(ctx.is_demo)
        self.banner.set_enabled_actions(not self._demo_busy)
        self.database_label.setText(f"{caption}　数据库：{ctx.database.path.name}　版本 {__version__}")
        self.menus.demo_data.setText(DEMO_LEAVE_TEXT if ctx.is_demo else DEMO_OPEN_TEXT)
        self.menus.sync_now.setEnabled(not ctx.is_demo)
        self.sync.context_changed()

    def _show_sync_state(self, *_args: object) -> None:
        self.sync_label.setText(self.sync.status_text())
        self.sync_label.setVisible(bool(self.sync_label.text()))

    def sync_now(self) -> None:
        """立即同步 (F9): sync when signed in; otherwise show the 同步 section, which says how to sign in."""
        if self.sync.account is None:
            self.show_section(SYNC)
        else:
            self.sync.sync_now()

    def _toggle_demo(self) -> None:
        if self.switcher.busy or self._demo_busy:
            return
        if self.ctx.is_demo:
            self.back_to_my_data()
        else:
            self.open_demo()

    # -- import, export, backup, restore, about --------------------------------------------------
    def import_ledger(self) -> None:
        from app.ui.dialogs.import_dialog import open_import_dialog  # openpyxl stays out of start-up

        open_import_dialog(ctx=self.ctx, parent=self)

    def export_ledger(self) -> None:
        """导出台账…: what the ledger shows now (its filter), else every active organization."""
        from app.ui.dialogs.ledger_export import export_current_ledger
        from app.ui.views.ledger_view import LedgerView

        ledger = self.views.built(LEDGER)
        flt = ledger.model.ledger_filter if isinstance(ledger, LedgerView) else LedgerFilter()

        export_current_ledger(ctx=self.ctx, parent=self, flt=flt)

    def back_up(self) -> None:
        from app.ui.operations import backup  # its file dialogs stay out of start-up

        backup.back_up_with_dialog(ctx=self.ctx, parent=self, on_message=self.show_status, on_error=self.show_error)

    def restore_backup(self) -> None:
        from app.ui.operations import backup

        backup.restore_with_dialog(switcher=self.switcher, parent=self, on_message=self.show_status,
                                   on_error=self.show_error)

    def show_about(self) -> None:
        from app.ui.dialogs.about_dialog import show_about

        show_about(self.ctx, self)

    def open_demo(self) -> None:
        """The empty ledger's 载入演示数据: open the demo profile (and fill it when empty)."""
        self._demo_busy = True
        self.banner.set_enabled_actions(False)
        demo.open_demo(switcher=self.switcher, parent=self, on_message=self._demo_done, on_error=self.show_error)

    def _demo_done(self, message: str) -> None:
        self._demo_busy = False
        self.banner.set_enabled_actions(True)
        self.show_status(message)

    def back_to_my_data(self) -> None:
        self.banner.set_enabled_actions(False)
        self.switcher.back_to_my_data(then=lambda: self.show_status("已回到我的数据"), on_error=self.show_error)

    def delete_demo(self) -> None:
        answer = QMessageBox.question(self, "删除演示数据", DELETE_DEMO_QUESTION,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.banner.set_enabled_actions(False)
        self.switcher.delete_demo(then=lambda: self.show_status("演示数据已删除，已回到我的数据"),
                                  on_error=self.show_error)

    # -- composition -----------------------------------------------------------------------------
    def _add_section(self, section: Section) -> None:
        """The section's entry in the navigation and a placeholder in the stack, until it is first shown."""
        item = QListWidgetItem(section.title)
        item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.nav.addItem(item)
        self.stack.addWidget(QWidget())
        self.views.add(section.title)

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(SECTIONS):
            title = SECTIONS[row].title
            self.stack.setCurrentWidget(self.views[title])  # built on first show
            new_text, open_text = MENU_WORDS.get(title, MENU_WORDS[LEDGER])
            self.menus.new_org.setText(new_text)
            self.menus.open_selected.setText(open_text)

    def _build_section(self, index: int, ctx: UiContext) -> QWidget:
        """Build section ``index``'s view in place of its placeholder (``SectionViews`` asks)."""
        view = SECTIONS[index].build(ctx)
        status = getattr(view, "statusMessage", None)
        if status is not None:
            status.connect(self.show_status)
        demo_requested = getattr(view, "demoRequested", None)
        if demo_requested is not None:
            demo_requested.connect(self.open_demo)
        import_requested = getattr(view, "importRequested", None)
        if import_requested is not None:
            import_requested.connect(self.import_ledger)
        section_requested = getattr(view, "sectionRequested", None)
        if section_requested is not None:
            section_requested.connect(self.show_section)
        attach_sync = getattr(view, "attach_sync", None)
        if callable(attach_sync):
            attach_sync(self.sync)
        set_sections = getattr(view, "set_sections", None)
        if callable(set_sections):
            set_sections([section.title for section in SECTIONS])
        placeholder = self.stack.widget(index)
        current = self.stack.currentIndex()
        self.stack.insertWidget(index, view)
        if placeholder is not None:
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
        self.stack.setCurrentIndex(current)
        return view

    def section_titles(self) -> list[str]:
        return [self.nav.item(i).text() for i in range(self.nav.count())]

    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_MS)

    def show_error(self, exc: BaseException) -> None:
        """Default handler for a background task that failed with nobody listening."""
        self._demo_busy = False
        self.banner.set_enabled_actions(True)
        QMessageBox.critical(self, "出错了", describe_error(exc))
