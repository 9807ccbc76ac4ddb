"""组织台账 model and view over a real database: counts, SQL sorting, filters, search, paging."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.domain.enums import CreditListKind
from app.models import CreditListing
from app.services.core import clock
from app.services.core.database import Database
from app.services.core.outbox import record_upsert
from app.services.orgs import ledger, organizations
from app.services.orgs.dto import (
    ArchivedFilter,
    Coverage,
    LedgerFilter,
    LedgerSort,
    OrgDetail,
    OrgType,
    SortKey,
)
from app.ui.context import UiContext
from app.ui.itemmodels import ledger_model
from app.ui.itemmodels.ledger_model import COLUMNS, ID_ROLE, LedgerModel
from app.ui.tasks import ImmediateTaskRunner, Lane
from app.ui.views.ledger_view import LedgerView

ORGS = (
    ("朝阳区书法家协会", OrgType.SOCIAL_GROUP, 12),
    ("北京市中北大华教育基金会", OrgType.FOUNDATION, 3),
    ("望京街道老年协会", OrgType.SOCIAL_GROUP, 40),
    ("阳光家园残疾人服务中心", OrgType.SOCIAL_SERVICE, None),
    ("安贞社区舞蹈队", OrgType.COMMUNITY_FILED, 0),
)


@pytest.fixture
def five(add_org: Callable[..., OrgDetail]) -> dict[str, str]:
    ids = {}
    for name, org_type, members in ORGS:
        extra = {"community_category": "文体活动类"} if org_type is OrgType.COMMUNITY_FILED else {}
        ids[name] = add_org(name, org_type, party_member_count=members, **extra).id
    return ids


def names(model: LedgerModel) -> list[str]:
    model.ensure_rows(0, model.total - 1)
    rows = [model.row_at(i) for i in range(model.total)]
    assert all(row is not None for row in rows), "every page should have arrived"
    return [row.name for row in rows if row is not None]


def header_click(qtbot: QtBot, view: LedgerView, column: int) -> None:
    header = view.table.horizontalHeader()
    pos = QPoint(header.sectionViewportPosition(column) + header.sectionSize(column) // 2, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def test_model_counts_and_fetches_rows_a_page_at_a_time(ctx: UiContext, five: dict[str, str]) -> None:
    model = LedgerModel(ctx)
    assert not model.loaded and model.rowCount() == 0
    model.refresh()
    assert model.loaded and model.total == 5 and model.rowCount() == 5
    assert model.columnCount() == len(COLUMNS) == 8
    assert model.page_ready(0), "the first page comes with the ids: the first screen arrives in one piece"
    # default sort is by name pinyin: 安贞 < 北京 < 朝阳 < 望京 < 阳光
    assert names(model) == ["安贞社区舞蹈队", "北京市中北大华教育基金会", "朝阳区书法家协会",
                            "望京街道老年协会", "阳光家园残疾人服务中心"]
    assert model.data(model.index(1, 1)) == "基金会"
    assert model.data(model.index(0, 6)) == "0"
    assert model.data(model.index(4, 6)) == "—"  # 党员数 not given
    assert model.data(model.index(2, 0), ID_ROLE) == five["朝阳区书法家协会"]
    assert model.headerData(2, Qt.Orientation.Horizontal) == "统一社会信用代码"


def test_data_requests_missing_pages_asynchronously(
    qtbot: QtBot, ctx: UiContext, five: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ledger_model, "PAGE_SIZE", 2)
    runner = ctx.runner
    assert isinstance(runner, ImmediateTaskRunner)
    model = LedgerModel(ctx)
    model.refresh()
    reads_after_query = len(runner.submitted)
    assert model.data(model.index(3, 0)) is None  # page 1 (rows 2-3) is not here yet: an empty cell
    assert len(runner.submitted) == reads_after_query, "data() never fetches inline"
    with qtbot.waitSignal(model.dataChanged) as changed:
        pass
    first, last = changed.args[0], changed.args[1]
    assert (first.row(), last.row(), last.column()) == (2, 3, len(COLUMNS) - 1)
    assert model.page_ready(1) and model.page_ready(0) and not model.page_ready(2)
    assert model.data(model.index(3, 0)) == "望京街道老年协会"
    assert runner.submitted[reads_after_query:] == [Lane.READ]


def test_header_click_requeries_in_sql(qtbot: QtBot, ctx: UiContext, five: dict[str, str]) -> None:
    model = LedgerModel(ctx)
    view = LedgerView(model, ctx)
    qtbot.addWidget(view)
    view.resize(1200, 600)
    view.show()
    generation = model.generation
    header_click(qtbot, view, 6)  # 党员数
    assert model.ledger_sort == LedgerSort(SortKey.PARTY_MEMBERS, descending=False)
    assert model.generation == generation + 1
    # a blank count stays last in both directions
    assert names(model) == ["安贞社区舞蹈队", "北京市中北大华教育基金会", "朝阳区书法家协会",
                            "望京街道老年协会", "阳光家园残疾人服务中心"]
    header_click(qtbot, view, 6)
    assert model.ledger_sort == LedgerSort(SortKey.PARTY_MEMBERS, descending=True)
    assert names(model) == ["望京街道老年协会", "朝阳区书法家协会", "北京市中北大华教育基金会",
                            "安贞社区舞蹈队", "阳光家园残疾人服务中心"]
    header_click(qtbot, view, 1)  # 类型
    assert model.ledger_sort.key is SortKey.ORG_TYPE


def test_filters_narrow_the_ledger(qtbot: QtBot, ctx: UiContext, db: Database, five: dict[str, str]) -> None:
    model = LedgerModel(ctx)
    view = LedgerView(model, ctx)
    qtbot.addWidget(view)
    assert view.count_label.text() == "共 5 个组织"

    view.type_filter.setCurrentIndex(view.type_filter.index_of(OrgType.SOCIAL_GROUP))
    assert model.ledger_filter.org_types == frozenset({OrgType.SOCIAL_GROUP})
    assert sorted(names(model)) == ["望京街道老年协会", "朝阳区书法家协会"]
    assert view.count_label.text() == "共 2 个组织"
    view.type_filter.setCurrentIndex(0)

    view.category_filter.setCurrentIndex(view.category_filter.index_of("文体活动类"))
    assert names(model) == ["安贞社区舞蹈队"]
    view.category_filter.setCurrentIndex(0)

    view.coverage_filter.setCurrentIndex(view.coverage_filter.index_of(Coverage.ORGANIZATION))
    assert model.ledger_filter.coverage is Coverage.ORGANIZATION and model.total == 0
    view.coverage_filter.setCurrentIndex(view.coverage_filter.index_of(Coverage.NONE))
    assert model.total == 5
    view.coverage_filter.setCurrentIndex(0)

    view.credit_filter.setCurrentIndex(view.credit_filter.index_of(True))
    assert model.total == 0
    view.credit_filter.setCurrentIndex(view.credit_filter.index_of(False))
    assert model.total == 5
    view.credit_filter.setCurrentIndex(0)

    organizations.archive_org(db.session_factory, five["望京街道老年协会"], reason="已注销", actor="test")
    model.refresh()
    assert model.total == 4
    view.archived_filter.setCurrentIndex(view.archived_filter.index_of(ArchivedFilter.ARCHIVED))
    assert names(model) == ["望京街道老年协会"]
    assert model.data(model.index(0, 0)) == "望京街道老年协会（已归档）"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ForegroundRole) == ledger_model.ARCHIVED_COLOR
    view.archived_filter.setCurrentIndex(view.archived_filter.index_of(ArchivedFilter.ALL))
    assert model.total == 5


def test_search_narrows_as_you_type(
    qtbot: QtBot, ctx: UiContext, five: dict[str, str], type_chinese: Callable[[QWidget, str], None]
) -> None:
    model = LedgerModel(ctx)
    view = LedgerView(model, ctx)
    qtbot.addWidget(view)
    type_chinese(view.search, "协")
    qtbot.waitUntil(lambda: model.ledger_filter.text == "协", timeout=2000)
    assert sorted(names(model)) == ["望京街道老年协会", "朝阳区书法家协会"]
    type_chinese(view.search, "会书")  # "协会书": three characters, no organization has them in a row
    qtbot.waitUntil(lambda: model.ledger_filter.text == "协会书", timeout=2000)
    assert model.total == 0 and view.count_label.text() == "共 0 个组织"
    view.search.clear()
    qtbot.keyClicks(view.search, "zbdh")  # pinyin initials of 中北大华
    qtbot.waitUntil(lambda: model.total == 1, timeout=2000)
    assert names(model) == ["北京市中北大华教育基金会"]


def test_search_is_debounced(
    qtbot: QtBot, ctx: UiContext, five: dict[str, str], type_chinese: Callable[[QWidget, str], None]
) -> None:
    model = LedgerModel(ctx)
    view = LedgerView(model, ctx)
    qtbot.addWidget(view)
    generation = model.generation
    type_chinese(view.search, "书法家")
    assert model.generation == generation, "no query per keystroke"
    qtbot.waitUntil(lambda: model.generation == generation + 1, timeout=2000)
    qtbot.wait(250)
    assert model.generation == generation + 1, "one query for the whole burst of typing"
    assert names(model) == ["朝阳区书法家协会"]


def test_late_older_result_does_not_overwrite_newer(ctx: UiContext, five: dict[str, str]) -> None:
    runner = ctx.runner
    assert isinstance(runner, ImmediateTaskRunner)
    model = LedgerModel(ctx)
    model.refresh()
    runner.paused = True
    model.set_search_text("基金会")
    model.set_search_text("协会")
    older, newer = runner.pending
    runner.pending.clear()
    newer.run()
    assert model.total == 2
    older.run()  # arrives late: must be ignored
    assert model.total == 2 and model.ledger_filter.text == "协会"
    runner.paused = False
    assert sorted(names(model)) == ["望京街道老年协会", "朝阳区书法家协会"]


def test_late_page_of_an_older_query_is_dropped(
    ctx: UiContext, five: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ledger_model, "PAGE_SIZE", 2)
    runner = ctx.runner
    assert isinstance(runner, ImmediateTaskRunner)
    model = LedgerModel(ctx)
    model.refresh()  # the ids and page 0 (rows 0-1) arrive together
    runner.paused = True
    model.ensure_rows(2, 3)  # page 1 of the "all" result, held back
    (stale_page,) = runner.pending
    runner.pending.clear()
    model.set_filter(replace(model.ledger_filter, org_types=frozenset({OrgType.FOUNDATION})))
    runner.run_pending()
    stale_page.run()  # arrives after the newer result: must be dropped
    assert model.total == 1
    assert not model.page_ready(1), "rows of the old result must not be kept as the new result's rows"
    assert names(model) == ["北京市中北大华教育基金会"]


def test_a_change_on_the_bus_refreshes_and_selects(
    qtbot: QtBot, ctx: UiContext, db: Database, five: dict[str, str], add_org: Callable[..., OrgDetail]
) -> None:
    model = LedgerModel(ctx)
    view = LedgerView(model, ctx)
    qtbot.addWidget(view)
    from app.ui.bus import ORG_ENTITY, Change

    detail = add_org("和平里社区调解室", OrgType.COMMUNITY_FILED)
    assert model.total == 5, "nothing announced yet"
    ctx.bus.publish(Change(ORG_ENTITY, (detail.id,), "test", "create"))
    assert model.total == 6
    assert view.selected_id() == detail.id
    ctx.bus.publish(Change("meeting", ("x",), "test"))
    assert model.total == 6


def test_credit_listed_row_is_marked(ctx: UiContext, db: Database, five: dict[str, str]) -> None:
    listed_id = five["阳光家园残疾人服务中心"]
    with db.session_factory.begin() as session:  # no credit-listing service yet: write the row directly
        listing = CreditListing(org_id=listed_id, kind=CreditListKind.ABNORMAL, listed_on=date(2024, 3, 1),
                                reason="未按时报送年度工作报告")
        record_upsert(session, listing, actor="test")
    model = LedgerModel(ctx)
    model.set_filter(LedgerFilter(credit_listed=True))
    assert names(model) == ["阳光家园残疾人服务中心"]
    name_cell = model.index(0, 0)
    assert model.data(name_cell, Qt.ItemDataRole.ForegroundRole) == ledger_model.CREDIT_COLOR
    assert isinstance(model.data(name_cell, Qt.ItemDataRole.DecorationRole), QIcon)
    assert "异常名录" in model.data(name_cell, Qt.ItemDataRole.ToolTipRole)
    model.set_filter(LedgerFilter(credit_listed=False))
    assert model.total == 4
    assert model.data(model.index(0, 0), Qt.ItemDataRole.DecorationRole) is None
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ForegroundRole) is None


def test_ledger_query_matches_the_service(ctx: UiContext, db: Database, five: dict[str, str]) -> None:
    model = LedgerModel(ctx)
    model.set_sort(LedgerSort(SortKey.FOUNDED, descending=True))
    expected = ledger.query_ledger(db.session_factory, LedgerFilter(), LedgerSort(SortKey.FOUNDED, True))
    assert tuple(model.id_at(i) for i in range(model.total)) == expected.ids


def test_a_new_order_starts_at_the_top_but_a_refresh_stays_put(
    qtbot: QtBot, ctx: UiContext, add_org: Callable[..., OrgDetail]
) -> None:
    for n in range(60):
        add_org(f"测试协会{n:02d}", party_member_count=n)
    model = LedgerModel(ctx)
    view = LedgerView(model, ctx)
    qtbot.addWidget(view)
    view.resize(1000, 400)
    view.show()
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: view.table.rowAt(0) > 0, timeout=2000)
    scrolled = view.table.verticalScrollBar().value()
    model.refresh()  # e.g. after an edit elsewhere
    assert view.table.verticalScrollBar().value() == scrolled
    header_click(qtbot, view, 6)
    assert view.table.verticalScrollBar().value() == 0 and view.table.rowAt(0) == 0


def test_a_page_asked_for_during_a_requery_is_not_mistaken_for_the_new_result(
    ctx: UiContext, five: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The user scrolls while a re-sort runs: the page fetched from the old ids must not be stored as
    that page of the new order (its rows would stay blank for good); asking again fetches it anew."""
    monkeypatch.setattr(ledger_model, "PAGE_SIZE", 2)
    runner = ctx.runner
    assert isinstance(runner, ImmediateTaskRunner)
    model = LedgerModel(ctx)
    model.refresh()
    runner.paused = True
    model.set_sort(LedgerSort(SortKey.NAME, descending=True))  # query in flight
    model.ensure_rows(2, 3)  # page 1 sliced from the old (ascending) ids
    runner.run_pending()  # the new ids first, then the old page
    assert not model.page_ready(1)
    model.ensure_rows(2, 3)
    runner.run_pending()
    assert model.page_ready(1)
    assert [model.data(model.index(r, 0)) for r in (2, 3)] == ["朝阳区书法家协会", "北京市中北大华教育基金会"]


def test_a_failed_page_is_asked_for_again(
    ctx: UiContext, five: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ledger_model, "PAGE_SIZE", 2)
    model = LedgerModel(ctx)
    model.refresh()
    failures: list[str] = []
    model.failed.connect(failures.append)
    real = ledger_model.ops.load_ledger_rows

    def failing(**kwargs: Any) -> Any:
        kwargs["on_error"](OSError("磁盘读取错误"))

    monkeypatch.setattr(ledger_model.ops, "load_ledger_rows", failing)
    model.ensure_rows(2, 3)
    assert failures and not model.page_ready(1)
    monkeypatch.setattr(ledger_model.ops, "load_ledger_rows", real)
    model.ensure_rows(2, 3)
    assert model.page_ready(1)


def test_an_expired_evaluation_grade_says_so(ctx: UiContext, add_org: Callable[..., OrgDetail]) -> None:
    from datetime import timedelta

    from app.services.orgs.dto import EvaluationGrade

    today = clock.today()
    add_org("甲协会", evaluation_grade=EvaluationGrade.A3, evaluation_date=today - timedelta(days=6 * 366))
    add_org("乙协会", evaluation_grade=EvaluationGrade.A5, evaluation_date=today - timedelta(days=30))
    model = LedgerModel(ctx)
    model.refresh()
    grade_column = next(i for i, c in enumerate(COLUMNS) if c.sort_key is SortKey.EVALUATION)
    shown = {model.data(model.index(r, 0)): model.data(model.index(r, grade_column)) for r in range(2)}
    assert shown == {"甲协会": "3A（已过期）", "乙协会": "5A"}


def test_a_code_from_a_newer_server_is_shown_not_a_crash(ctx: UiContext, db: Database,
                                                         add_org: Callable[..., OrgDetail]) -> None:
    from sqlalchemy import text

    from app.services.core.outbox_guard import bulk_writes

    newer = add_org("甲协会").id
    add_org("乙协会")
    with db.session_factory.begin() as session, bulk_writes(session):  # as a sync pull from a newer server
        session.execute(text("UPDATE social_org SET org_type = 'PARTY_SCHOOL', evaluation_grade = '6A'"
                             " WHERE id = :i"), {"i": newer})
    model = LedgerModel(ctx)
    model.refresh()
    type_column = next(i for i, c in enumerate(COLUMNS) if c.sort_key is SortKey.ORG_TYPE)
    grade_column = next(i for i, c in enumerate(COLUMNS) if c.sort_key is SortKey.EVALUATION)
    shown = {model.data(model.index(r, 0)): (model.data(model.index(r, type_column)),
                                             model.data(model.index(r, grade_column))) for r in range(2)}
    assert shown["甲协会"] == ("未知（PARTY_SCHOOL）", "6A")
    assert shown["乙协会"][0] == "社会团体"


def test_an_unknown_count_never_looks_like_zero(ctx: UiContext, five: dict[str, str]) -> None:
    """党员数: 0 is a count someone entered; an empty field shows "—" (with 未填写 as its tip), neither 0 nor a
    blank that looks like a row still loading."""
    model = LedgerModel(ctx)
    model.refresh()
    shown = {model.data(model.index(row, 0)): model.data(model.index(row, 6)) for row in range(model.total)}
    assert shown["安贞社区舞蹈队"] == "0" and shown["望京街道老年协会"] == "40"
    assert shown["阳光家园残疾人服务中心"] == "—"
    row = next(r for r in range(model.total) if model.data(model.index(r, 0)) == "阳光家园残疾人服务中心")
    assert model.data(model.index(row, 6), Qt.ItemDataRole.ToolTipRole) == "未填写"
    assert model.data(model.index(0, 6), Qt.ItemDataRole.ToolTipRole) is None
