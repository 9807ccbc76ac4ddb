"""机关代字 per notice series, the issuing organ (落款) and the instructor's own name and phone (printed as
联系人 / 走访人员 / 党建指导员 on the documents): settings of the profile, kept on this device
(``app.services.core.local_settings``), with defaults (none for the instructor: documents are refused
until the name is filled in, never printed with the local placeholder).

One series per kind of notice; two kinds may share a 代字 (then they share its sequence: numbering is per
代字 and year).  Any thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from app.domain.doc_numbers import series_problem
from app.domain.enums import NoticeKind
from app.services.core.errors import ServiceError, ValidationFailed
from app.services.core.local_settings import read_settings, write_settings

__all__ = ["DEFAULT_SERIES", "INSTRUCTOR_NOT_SET", "InstructorNotSet", "SeriesSettings", "check_series_settings",
           "load_series_settings", "required_instructor", "save_series_settings", "series_settings_in",
           "store_instructor_in"]

DEFAULT_SERIES: dict[NoticeKind, str] = {
    NoticeKind.RECTIFICATION_NOTICE: "社党整改",
    NoticeKind.VISIT_NOTICE: "社党走访",
    NoticeKind.REMINDER_LETTER: "社党提醒",
}
DEFAULT_ISSUER = "社会组织党建工作指导站"
ISSUER_MAX_CHARS = 24  # 署名 over the 成文日期, 右空四字 on a 28-character line
_KEY = "notice.series."
_ISSUER_KEY = "notice.issuer"
_NAME_KEY = "notice.instructor.name"
_PHONE_KEY = "notice.instructor.phone"
NAME_MAX_CHARS = 20
PHONE_MAX_CHARS = 20
INSTRUCTOR_NOT_SET = ("文书上要印指导员的姓名（联系人、走访人员），但还没有填写：请在「文书」页点「文书设置…」"
                      "填写您的姓名和联系电话，再签发或打印。")


class InstructorNotSet(ServiceError):
    """签发 or printing refused: the instructor's name is not in the settings (the message says where)."""

    def __init__(self) -> None:
        super().__init__(INSTRUCTOR_NOT_SET)


@dataclass(frozen=True)
class SeriesSettings:
    """The 代字 of each kind's series and the 落款 printed on the notices."""

    series: dict[NoticeKind, str]
    issuer: str
    instructor_name: str = ""  # the instructor's own name, printed as 联系人 / 走访人员 / 党建指导员
    instructor_phone: str = ""  # … and phone (masked on the documents unless asked otherwise)

    def of(self, kind: NoticeKind) -> str:
        return self.series.get(kind, DEFAULT_SERIES[kind])


def series_settings_in(session: Session) -> SeriesSettings:
    """The settings as stored, defaults where nothing is (in the caller's session)."""
    stored = read_settings(session, [*(_KEY + kind.value for kind in NoticeKind), _ISSUER_KEY, _NAME_KEY, _PHONE_KEY])
    series = {kind: stored.get(_KEY + kind.value) or DEFAULT_SERIES[kind] for kind in NoticeKind}
    return SeriesSettings(series, stored.get(_ISSUER_KEY) or DEFAULT_ISSUER, stored.get(_NAME_KEY) or "",
                          stored.get(_PHONE_KEY) or "")


def store_instructor_in(session: Session, name: str, phone: str = "") -> None:
    """Store the instructor's own name and phone (in the caller's session; the demo, tests), unchecked."""
    write_settings(session, {_NAME_KEY: name.strip(), _PHONE_KEY: phone.strip()})


def required_instructor(session: Session) -> tuple[str, str]:
    """The instructor's name and phone for the documents; InstructorNotSet when no name is filled in."""
    settings = series_settings_in(session)
    if not settings.instructor_name.strip():
        raise InstructorNotSet()
    return settings.instructor_name.strip(), settings.instructor_phone.strip()


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
    name, phone = settings.instructor_name.strip(), settings.instructor_phone.strip()
    if not name:
        problems["instructor_name"] = "请填写您的姓名：文书的联系人、走访人员处要印。"
    elif len(name) > NAME_MAX_CHARS:
        problems["instructor_name"] = f"姓名最多 {NAME_MAX_CHARS} 个字。"
    if len(phone) > PHONE_MAX_CHARS or any(not (ch.isdigit() or ch in "-+ ") for ch in phone):
        problems["instructor_phone"] = f"联系电话只能有数字、“-”和空格，最多 {PHONE_MAX_CHARS} 位。"
    return problems


def save_series_settings(factory: sessionmaker[Session], settings: SeriesSettings) -> SeriesSettings:
    """Validate the whole and store it; ValidationFailed (nothing saved) naming each field to fix.
    Changing a 代字 renumbers nothing already issued (a notice keeps the series it was issued under).
    Returns what was stored.  Any thread (the UI: the write lane)."""
    problems = check_series_settings(settings)
    if problems:
        raise ValidationFailed(problems)
    cleaned = SeriesSettings({kind: settings.of(kind).strip() for kind in NoticeKind}, settings.issuer.strip(),
                             settings.instructor_name.strip(), " ".join(settings.instructor_phone.split()))
    with factory.begin() as session:
        write_settings(session, {**{_KEY + kind.value: cleaned.of(kind) for kind in NoticeKind},
                                 _ISSUER_KEY: cleaned.issuer, _NAME_KEY: cleaned.instructor_name,
                                 _PHONE_KEY: cleaned.instructor_phone})
    return cleaned
