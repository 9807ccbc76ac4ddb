"""文件 → 导入台账…: pick a file, see what importing it would do row by row, import.

The preview lists the data rows with their sheet row numbers and 新增 / 更新 / 不变 / 拒绝 (refused rows
with the column and the reason, updates with each field's old → new value), counts per status and a
filter by status; it opens on the rows that need a look (拒绝, 新增, 更新), the 不变 ones a filter
away.  导入 stays disabled while refused rows exist unless 跳过无效行 is ticked.  Reading, planning
and importing run on the task runner with progress and cancel; a cancelled import changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.core.error_text import describe_error
from app.services.ledger_io.errors import StalePlanError
from app.services.ledger_io.plan import ImportPlan, RowStatus
from app.ui.context import UiContext
from app.ui.dialogs.import_table import NEEDS_ATTENTION, STATUS_COLORS, PlanTableModel, explain
from app.ui.operations import ledger_io
from app.ui.operations.ledger_io import ImportResult
from app.ui.widgets import ChoiceBox, fit_to_screen

ORIGIN = "import_dialog"
FILE_FILTER = "台账文件 (*.xlsx *.xls *.csv);;所有文件 (*)"
ERROR_STYLE = "color: #c62828;"


class ImportDialog(QDialog):
    """Emits ``imported(ImportResult)`` after a successful import (the bus has been told already)."""

    imported = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.plan: ImportPlan | None = None
        self.path: Path | None = None
        self.setWindowTitle("导入台账")
        self._build()
        self._update_buttons()

    # -- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        self.summary_label = QLabel(wordWrap=True)
        self.detail_label = QLabel(wordWrap=True)  # the selected row's whole 说明 (the cell elides it)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail_label.setMinimumHeight(self.fontMetrics().height() * 3)
        self.detail_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.notes_label = QLabel(wordWrap=True)
        self.message_label = QLabel(wordWrap=True)
        self.message_label.setMinimumHeight(self.fontMetrics().height() * 2)  # reserved: nothing jumps
        layout = QVBoxLayout(self)
        layout.addLayout(self._picker())
        layout.addWidget(self.summary_label)
        layout.addLayout(self._counts())
        layout.addWidget(self._table(), 1)
        for label in (self.detail_label, self.notes_label, self.message_label):
            layout.addWidget(label)
        layout.addLayout(self._buttons())
        fit_to_screen(self, (960, 580))  # within a 1366×768 screen at 125 % (a logical 1093×614)

    def _picker(self) -> QHBoxLayout:
        self.path_edit = QLineEdit(readOnly=True, placeholderText="请选择 .xlsx、.xls 或 .csv 格式的台账文件")
        self.choose_button = QPushButton("选择文件…")
        self.choose_button.clicked.connect(self.choose_file)
        picker = QHBoxLayout()
        picker.addWidget(QLabel("文件："))
        picker.addWidget(self.path_edit, 1)
        picker.addWidget(self.choose_button)
        return picker

    def _counts(self) -> QHBoxLayout:
        self.counts_label = QLabel(textFormat=Qt.TextFormat.RichText)
        self.filter_box = ChoiceBox([("需要核对的行（拒绝、新增、更新）", NEEDS_ATTENTION), ("全部行", None),
                                     *((s.value, s) for s in RowStatus)])
        self.filter_box.currentIndexChanged.connect(self._filter_changed)
        show = QLabel("显示：")
        show.setBuddy(self.filter_box)
        counts = QHBoxLayout()
        counts.addWidget(self.counts_label, 1)
        counts.addWidget(show)
        counts.addWidget(self.filter_box)
        return counts

    def _table(self) -> QTableView:
        self.model = PlanTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column, width in enumerate((72, 56, 280)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        return self.table

    def _buttons(self) -> QHBoxLayout:
        self.skip_box = QCheckBox("跳过无效行")
        self.skip_box.toggled.connect(self._update_buttons)
        self.import_button = QPushButton("导入")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.start_import)
        self.close_button = QPushButton("关闭")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.skip_box)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)
        return buttons

    # -- picking and previewing --------------------------------------------------------------------
    def choose_file(self) -> None:
        start = str(self.path.parent if self.path else
                    QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))
        chosen, _filter = QFileDialog.getOpenFileName(self, "选择要导入的台账文件", start, FILE_FILTER)
        if chosen:
            self.load(Path(chosen))

    def load(self, path: Path) -> None:
        """Read ``path`` and show its preview (on the read lane, with progress and cancel)."""
        self.path, self.plan = path, None
        self.path_edit.setText(str(path))
        self.skip_box.setChecked(False)  # each file's refused rows are skipped only when asked for that file
        self._show_plan(None)
        self._say("正在读取文件…")
        ledger_io.preview_import(ctx=self._ctx, path=path, on_done=self._show_plan, on_error=self._failed,
                                 on_cancelled=lambda: self._say("已取消读取文件。"), parent=self)

    def _show_plan(self, plan: ImportPlan | None) -> None:
        self.plan = plan
        self.model.set_rows(plan.rows if plan else (), self.filter_box.value())  # type: ignore[arg-type]
        if plan is None:
            for label in (self.summary_label, self.counts_label, self.notes_label, self.detail_label):
                label.clear()
        else:
            self.summary_label.setText(f"{plan.where}，"
                                       f"共 {len(plan.rows):,} 个数据行。空白单元格不会清除台账中已有的内容。")
            self.counts_label.setText("　".join(
                f"<span style='color:{STATUS_COLORS[s]}'><b>{s.value}</b> {plan.count(s):,}</span>"
                for s in RowStatus))
            self.notes_label.setText(self._notes(plan))
            self._say(self._advice(plan))
            attention = any(row.status is not RowStatus.UNCHANGED for row in plan.rows)
            self.filter_box.set_value(NEEDS_ATTENTION if attention else None)  # 不变 rows behind the filter
            self._select_first()
        self._update_buttons()

    @staticmethod
    def _notes(plan: ImportPlan) -> str:
        notes = []
        if plan.skipped:
            shown = "、".join(f"第 {n} 行（{why}）" for n, why in plan.skipped[:5])
            notes.append(f"略过：{shown}" + (f" 等 {len(plan.skipped)} 行" if len(plan.skipped) > 5 else ""))
        if plan.ignored_columns:
            notes.append("未导入的列：" + "、".join(plan.ignored_columns))
        return "；".join(notes)

    @staticmethod
    def _advice(plan: ImportPlan) -> str:
        if plan.rejected:
            return (f"有 {len(plan.rejected):,} 行无效（原因见“说明”）。请修改文件后重新选择，"
                    "或勾选“跳过无效行”只导入其余各行。")
        if not plan.writes:
            return "文件中的组织都已在台账中，内容相同，无需导入。"
        return "请核对后点击“导入”。"

    def _filter_changed(self) -> None:
        if self.plan is not None:
            self.model.set_rows(self.plan.rows, self.filter_box.value())  # type: ignore[arg-type]
            self._select_first()

    def _select_first(self) -> None:
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))
        else:
            self.detail_label.clear()

    def _show_detail(self, current: QModelIndex) -> None:
        if not current.isValid():
            self.detail_label.clear()
            return
        row = self.model.row_at(current.row())
        self.detail_label.setText(f"第 {row.sheet_row} 行 {row.name}【{row.status.value}】{explain(row)}")

    def _update_buttons(self) -> None:
        plan = self.plan
        rejected = len(plan.rejected) if plan else 0
        self.skip_box.setEnabled(rejected > 0)
        self.skip_box.setText(f"跳过无效行（{rejected:,} 行不导入，其余各行照常导入）" if rejected
                              else "跳过无效行")
        ready = plan is not None and bool(plan.writes) and (not rejected or self.skip_box.isChecked())
        self.import_button.setEnabled(ready)

    # -- importing ---------------------------------------------------------------------------------
    def start_import(self) -> None:
        if self.plan is None or not self.import_button.isEnabled():
            return
        self.import_button.setEnabled(False)
        self._say("正在导入…")
        ledger_io.run_import(ctx=self._ctx, import_plan=self.plan, skip_invalid=self.skip_box.isChecked(),
                             on_done=self._imported, on_error=self._failed, origin=ORIGIN, parent=self,
                             on_cancelled=self._import_cancelled)

    def _imported(self, result: ImportResult) -> None:
        self.plan = None  # spent: the table stays as the record of what was imported
        self.skip_box.setChecked(False)
        self._update_buttons()
        self._say(f"{result.summary()}。台账已更新。")
        self.imported.emit(result)

    def _import_cancelled(self) -> None:
        self._say("已取消导入：数据库没有任何改动。")
        self._update_buttons()

    def _failed(self, exc: BaseException) -> None:
        self._say(describe_error(exc), error=True)
        self._update_buttons()
        if isinstance(exc, StalePlanError) and self.path is not None:
            path = self.path
            QTimer.singleShot(0, lambda: self.load(path))

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message_label.setStyleSheet(ERROR_STYLE if error else "")
        self.message_label.setText(text)


def open_import_dialog(*, ctx: UiContext, parent: QWidget | None) -> ImportDialog:
    """文件 → 导入台账…: open the import dialog and ask for a file at once."""
    dialog = ImportDialog(ctx, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    QTimer.singleShot(0, dialog.choose_file)
    return dialog
