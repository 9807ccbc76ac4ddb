"""组织台账 table model: the ordered ids of a query, rows fetched a page at a time.

Filtering and sorting run in SQL (``query_ledger``): clicking a header or changing a filter re-queries.
Only the ids are held for the whole result; ``LedgerRow`` pages are fetched asynchronously when the view
first asks for a row of that page, and cells stay empty (or show the last known values of that row)
until the page arrives.  Every query bumps a generation counter so a late, older result is dropped.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from app.services.core.error_text import describe_error
from app.services.orgs.dto import LedgerFilter, LedgerIds, LedgerRow, LedgerSort, SortKey
from app.ui.context import UiContext
from app.ui.operations import organizations as ops

PAGE_SIZE = 200
MAX_CACHED_PAGES = 50  # 10,000 rows; older pages are dropped and fetched again if scrolled back to
CREDIT_COLOR = QColor("#b3261e")
ARCHIVED_COLOR = QColor("#80868b")
ID_ROLE = Qt.ItemDataRole.UserRole + 1
CREDIT_TIP = "已列入活动异常名录或严重违法失信名单"
UNKNOWN_COUNT = "—"  # a count nobody has filled in: never shown as 0, nor as blank (a row still loading)
UNKNOWN_TIP = "未填写"

AnyIndex = QModelIndex | QPersistentModelIndex


def _location(row: LedgerRow) -> str:
    return " / ".join(part for part in (row.sub_district, row.community) if part)


def _grade(row: LedgerRow) -> str:
    if row.evaluation_grade is None:
        return ""
    return f"{row.evaluation_grade.value}（已过期）" if row.evaluation_expired else row.evaluation_grade.value


def _name(row: LedgerRow) -> str:
    return f"{row.name}（已归档）" if row.archived else row.name


@dataclass(frozen=True)
class Column:
    title: str
    sort_key: SortKey
    width: int
    text: Callable[[LedgerRow], str]
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft


COLUMNS: tuple[Column, ...] = (
    Column("名称", SortKey.NAME, 256, _name),
    Column("类型", SortKey.ORG_TYPE, 140, lambda r: r.org_type.label),
    Column("统一社会信用代码", SortKey.USCC, 170, lambda r: r.uscc),
    Column("街道/社区", SortKey.LOCATION, 190, _location),
    Column("覆盖情况", SortKey.COVERAGE, 80, lambda r: r.coverage.label),
    Column("评估等级", SortKey.EVALUATION, 96, _grade, Qt.AlignmentFlag.AlignHCenter),
    Column("党员数", SortKey.PARTY_MEMBERS, 64,
           lambda r: UNKNOWN_COUNT if r.party_member_count is None else str(r.party_member_count),
           Qt.AlignmentFlag.AlignRight),
    Column("成立日期", SortKey.FOUNDED, 100, lambda r: r.founded_on.isoformat() if r.founded_on else ""),
)


class LedgerModel(QAbstractTableModel):
    totalChanged = Signal(int)  # rows matching the current query, after each query result
    pageLoaded = Signal(int)  # page number whose rows just arrived
    failed = Signal(str)  # a query or page fetch failed; Chinese text

    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._filter = LedgerFilter()
        self._sort = LedgerSort()
        self._ids: tuple[str, ...] = ()
        self._loaded = False
        self._generation = 0  # of the newest query issued
        self._answered = 0  # of the newest query whose result (or failure) has arrived
        self._ids_version = 0  # of the ids held now: pages are sliced from these and tagged with it
        self._pages: OrderedDict[int, dict[str, LedgerRow]] = OrderedDict()
        self._stale: dict[str, LedgerRow] = {}  # rows of the previous result, shown until pages arrive
        self._requested: set[int] = set()
        self._wanted: set[int] = set()
        self._flush = QTimer(self, singleShot=True, interval=0)
        self._flush.timeout.connect(self._request_wanted)

    # -- query -----------------------------------------------------------------------------------
    @property
    def ledger_filter(self) -> LedgerFilter:
        return self._filter

    @property
    def ledger_sort(self) -> LedgerSort:
        return self._sort

    @property
    def loaded(self) -> bool:
        """True once the first query result has arrived."""
        return self._loaded

    @property
    def total(self) -> int:
        return len(self._ids)

    @property
    def generation(self) -> int:
        return self._generation

    @property
    def querying(self) -> bool:
        """A query has been issued whose result has not arrived yet (what is shown is about to change)."""
        return self._answered != self._generation

    def set_filter(self, flt: LedgerFilter) -> None:
        if flt != self._filter or not self._generation:
            self._filter = flt
            self.refresh()

    def set_search_text(self, text: str) -> None:
        self.set_filter(replace(self._filter, text=text.strip()))

    def set_sort(self, sort: LedgerSort) -> None:
        if sort != self._sort or not self._generation:
            self._sort = sort
            self.refresh()

    def refresh(self) -> None:
        """Re-run the query with the current filter and sort; only the newest result is applied."""
        self._generation += 1
        generation = self._generation
        ops.query_ledger(
            ctx=self._ctx, flt=self._filter, sort=self._sort,
            on_done=lambda result: self._apply_ids(generation, *result), first_rows=PAGE_SIZE,
            on_error=lambda exc: self._fail(generation, exc), owner=self,
        )

    def _apply_ids(self, generation: int, result: LedgerIds, first_rows: list[LedgerRow]) -> None:
        if generation != self._generation:
            return  # an older query finished after a newer one was issued
        self._answered = generation
        self.beginResetModel()
        self._stale = {rid: row for page in self._pages.values() for rid, row in page.items()}
        self._ids = result.ids
        self._ids_version += 1
        self._pages.clear()
        if first_rows:
            self._pages[0] = {row.id: row for row in first_rows}
        self._requested.clear()
        self._wanted.clear()
        self._loaded = True
        self.endResetModel()
        self.totalChanged.emit(self.total)

    def _fail(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._answered = generation
            self.failed.emit(f"读取组织台账失败：{describe_error(exc)}")

    # -- pages -----------------------------------------------------------------------------------
    def row_at(self, row: int) -> LedgerRow | None:
        """The row if its page has arrived (or an earlier result showed it); never fetches."""
        if not 0 <= row < len(self._ids):
            return None
        rid = self._ids[row]
        page = self._pages.get(row // PAGE_SIZE)
        if page is not None:
            return page.get(rid)
        return self._stale.get(rid)

    def id_at(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, org_id: str) -> int | None:
        try:
            return self._ids.index(org_id)
        except ValueError:
            return None

    def rows_of(self, org_ids: Sequence[str]) -> list[int]:
        """The rows of those of ``org_ids`` shown, in row order (one pass over the ids for many)."""
        if len(org_ids) <= 2:
            return sorted(row for row in map(self.row_of, org_ids) if row is not None)
        wanted = set(org_ids)
        return [row for row, org_id in enumerate(self._ids) if org_id in wanted]

    def page_ready(self, page: int) -> bool:
        return page in self._pages

    def ensure_rows(self, first: int, last: int) -> None:
        """Fetch (asynchronously) every page covering rows ``first..last`` not yet held."""
        if not self._ids:
            return
        last = min(last, len(self._ids) - 1)
        for page in range(max(first, 0) // PAGE_SIZE, last // PAGE_SIZE + 1):
            self._request_page(page)

    def _want(self, row: int) -> None:
        page = row // PAGE_SIZE
        if page not in self._pages and page not in self._requested and page not in self._wanted:
            self._wanted.add(page)
            self._flush.start()  # batch the pages a paint asks for; never fetch inside data()

    def _request_wanted(self) -> None:
        wanted, self._wanted = sorted(self._wanted), set()
        for page in wanted:
            self._request_page(page)

    def _request_page(self, page: int) -> None:
        if page in self._pages or page in self._requested:
            return
        self._requested.add(page)
        version = self._ids_version  # not the query generation: a newer query may be in flight
        ids = self._ids[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        ops.load_ledger_rows(
            ctx=self._ctx, ids=ids,
            on_done=lambda rows: self._apply_page(version, page, rows),
            on_error=lambda exc: self._page_failed(version, page, exc), owner=self,
        )

    def _page_failed(self, version: int, page: int, exc: BaseException) -> None:
        if version == self._ids_version:
            self._requested.discard(page)  # a later paint may ask for it again
            self.failed.emit(f"读取组织台账失败：{describe_error(exc)}")

    def _apply_page(self, version: int, page: int, rows: list[LedgerRow]) -> None:
        if version != self._ids_version:
            return  # sliced from ids that have since been replaced
        self._requested.discard(page)
        self._pages[page] = {row.id: row for row in rows}
        while len(self._pages) > MAX_CACHED_PAGES:
            self._pages.popitem(last=False)
        first = page * PAGE_SIZE
        last = min(first + PAGE_SIZE, len(self._ids)) - 1
        self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))
        self.pageLoaded.emit(page)

    # -- Qt model interface ------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Header click: re-query in SQL (there is no proxy model)."""
        if 0 <= column < len(COLUMNS):
            self.set_sort(LedgerSort(COLUMNS[column].sort_key, order == Qt.SortOrder.DescendingOrder))

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        if row is None or index.row() // PAGE_SIZE not in self._pages:
            self._want(index.row())
        if row is None:
            return self._ids[index.row()] if role == ID_ROLE else None
        return self._role_data(row, index.column(), role)

    def _role_data(self, row: LedgerRow, column: int, role: int) -> Any:
        spec = COLUMNS[column]
        if role == Qt.ItemDataRole.DisplayRole:
            return spec.text(row)
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.archived or (row.evaluation_expired and spec.sort_key is SortKey.EVALUATION):
                return ARCHIVED_COLOR
            return CREDIT_COLOR if row.credit_listed else None
        if role == Qt.ItemDataRole.FontRole and (row.archived or (row.credit_listed and column == 0)):
            font = QFont()
            font.setItalic(row.archived)
            font.setBold(row.credit_listed and not row.archived)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return spec.align | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return _tooltip(row)
        if role == Qt.ItemDataRole.ToolTipRole and spec.text(row) == UNKNOWN_COUNT:
            return UNKNOWN_TIP
        if role == Qt.ItemDataRole.DecorationRole and column == 0 and row.credit_listed:
            return _credit_badge()
        if role == ID_ROLE:
            return row.id
        return None


_badges: list[QIcon] = []


def _credit_badge() -> QIcon:
    """A small red "!" disc marking a credit-listed organization (drawn once, on first use)."""
    if not _badges:
        pixmap = QPixmap(14, 14)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(CREDIT_COLOR)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(0, 0, 14, 14)
        painter.setPen(QColor("white"))
        font = QFont()
        font.setBold(True)
        font.setPixelSize(11)
        painter.setFont(font)
        painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, "!")
        painter.end()
        _badges.append(QIcon(pixmap))
    return _badges[0]


def _tooltip(row: LedgerRow) -> str:
    lines = [row.name]
    if row.short_name:
        lines.append(f"简称：{row.short_name}")
    if row.community_category:
        lines.append(f"类别：{row.community_category}")
    if row.address:
        lines.append(f"地址：{row.address}")
    if row.credit_listed:
        lines.append(CREDIT_TIP)
    if row.archived:
        lines.append("已归档（不在在册台账中）")
    return "\n".join(lines)
