"""机关代字 per notice series, and the issuing organ (落款): settings of the profile, kept on this device
(``app.services.core.local_settings``), with defaults.

One series per kind of notice; two kinds may share a 代字 (then they share its sequence: numbering is per
代字 and year).  Any thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from app.domain.doc_numbers import series_problem
from app.domain.enums import NoticeKind
from app.services.core.errors import ValidationFailed
from app.services.core.local_settings import read_settings, write_settings

__all__ = ["DEFAULT_SERIES", "SeriesSettings", "check_series_settings", "load_series_settings", "save_series_settings",
           "series_settings_in"]

DEFAULT_SERIES: dict[NoticeKind, str] = {
    NoticeKind.RECTIFICATION_NOTICE: "社党整改",
    NoticeKind.VISIT_NOTICE: "社党走访",
    NoticeKind.REMINDER_LETTER: "社党提醒",
}
DEFAULT_ISSUER = "社会组织党建工作指导站"
ISSUER_MAX_CHARS = 24  # 署名 over the 成文日期, 右空四字 on a 28-character line
_KEY = "notice.series."
_ISSUER_KEY = "notice.issuer"


@dataclass(frozen=True)
class SeriesSettings:
    """The 代字 of each kind's series and the 落款 printed on the notices."""

    series: dict[NoticeKind, str]
    issuer: str

    def of(self, kind: NoticeKind) -> str:
        return self.series.get(kind, DEFAULT_SERIES[kind])


def series_settings_in(session: Session) -> SeriesSettings:
    """The settings as stored, defaults where nothing is (in the caller's session)."""
    stored = read_settings(session, [*(_KEY + kind.value for kind in NoticeKind), _ISSUER_KEY])
    series = {kind: stored.get(_KEY + kind.value) or DEFAULT_SERIES[kind] for kind in NoticeKind}
    return SeriesSettings(series, stored.get(_ISSUER_KEY) or DEFAULT_ISSUER)


def load_series_settings(factory: sessionmaker[Session]) -> SeriesSettings:
    """The 代字 of each series and the 落款 (defaults where none was saved).  Read-only; any thread."""
    with factory() as session:
        return series_settings_in(session)


def check_series_settings(settings: SeriesSettings) -> dict[str, str]:
    """Field -> what to fix; empty when the settings can be saved."""
    problems = {}
    for kind in NoticeKind:
        problem = series_problem(settings.of(kind).strip())
        if problem:
            problems[kind.value] = f"{kind.label}：{problem}"
    issuer = settings.issuer.strip()
    if not issuer:
        problems["issuer"] = "请填写落款（发文机关名称）。"
    elif len(issuer) > ISSUER_MAX_CHARS:
        problems["issuer"] = f"落款最多 {ISSUER_MAX_CHARS} 个字（现有 {len(issuer)} 个），请用规范简称。"
    return problems


def save_series_settings(factory: sessionmaker[Session], settings: SeriesSettings) -> SeriesSettings:
    """Validate the whole and store it; ValidationFailed (nothing saved) naming each field to fix.
    Changing a 代字 renumbers nothing already issued (a notice keeps the series it was issued under).
    Returns what was stored.  Any thread (the UI: the write lane)."""
    problems = check_series_settings(settings)
    if problems:
        raise ValidationFailed(problems)
    cleaned = SeriesSettings({kind: settings.of(kind).strip() for kind in NoticeKind}, settings.issuer.strip())
    with factory.begin() as session:
        write_settings(session, {**{_KEY + kind.value: cleaned.of(kind) for kind in NoticeKind},
                                 _ISSUER_KEY: cleaned.issuer})
    return cleaned
