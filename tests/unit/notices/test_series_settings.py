"""机关代字 per series: defaults, saved as a whole after validation, kept on this device."""

from __future__ import annotations

import pytest

from app.domain.doc_numbers import series_problem
from app.domain.enums import NoticeKind
from app.services.core.database import Database
from app.services.core.errors import ValidationFailed
from app.services.notices.settings import (
    DEFAULT_ISSUER,
    DEFAULT_SERIES,
    SeriesSettings,
    load_series_settings,
    save_series_settings,
)


def test_defaults_until_saved_then_what_was_saved(db: Database) -> None:
    loaded = load_series_settings(db.session_factory)
    assert loaded.series == DEFAULT_SERIES and loaded.issuer == DEFAULT_ISSUER
    wanted = SeriesSettings({**DEFAULT_SERIES, NoticeKind.RECTIFICATION_NOTICE: " 鼓民社党 "}, "鼓楼区社会组织党委")
    save_series_settings(db.session_factory, wanted)
    again = load_series_settings(db.session_factory)
    assert again.of(NoticeKind.RECTIFICATION_NOTICE) == "鼓民社党"
    assert again.of(NoticeKind.VISIT_NOTICE) == DEFAULT_SERIES[NoticeKind.VISIT_NOTICE]
    assert again.issuer == "鼓楼区社会组织党委"


@pytest.mark.parametrize(("prefix", "says"), [
    ("", "不能为空"), ("鼓民〔社党", "不能有括号"), ("鼓民[社党]", "不能有括号"), ("社党2", "不能以数字结尾"),
    ("社党２", "不能以数字结尾"), ("社党三", "不能以数字结尾"), ("社 党", "不能有空格"),
    ("一二三四五六七八九十甲", "最多 10 个字"),
])
def test_a_bad_prefix_is_refused_saying_why(prefix: str, says: str) -> None:
    problem = series_problem(prefix)
    assert problem is not None and says in problem


def test_good_prefixes_pass() -> None:
    assert series_problem("鼓民社党") is None
    assert series_problem("社党2号楼函") is None  # a digit inside is fine, only not at the end
    assert series_problem("一二三四五六七八九函") is None  # ten characters


def test_nothing_is_saved_when_one_field_is_wrong(db: Database) -> None:
    bad = SeriesSettings({**DEFAULT_SERIES, NoticeKind.VISIT_NOTICE: "走访1"}, "")
    with pytest.raises(ValidationFailed) as raised:
        save_series_settings(db.session_factory, SeriesSettings({NoticeKind.RECTIFICATION_NOTICE: "鼓民社党",
                                                                **bad.series}, ""))
    assert set(raised.value.problems) == {NoticeKind.VISIT_NOTICE.value, "issuer"}
    assert "走访通知" in raised.value.problems[NoticeKind.VISIT_NOTICE.value]
    assert load_series_settings(db.session_factory).series == DEFAULT_SERIES
