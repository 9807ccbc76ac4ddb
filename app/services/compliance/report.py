"""The findings of one period, for one organization or 党组织 or for all (``python -m app compliance``).

A finding belongs to the period asked for when its own period overlaps it (a month asked for shows that
month's findings and those of the quarter and year it lies in); a finding without a period (a term, 年检,
a record) when its day falls in the period, or — a standing fact as of today (not a record, which is
of its meeting's day) — when the period is the running one.  Waived findings are left out unless asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from app.domain.compliance import RuleId
from app.domain.periods import Period
from app.services.compliance.dto import FindingRow
from app.services.compliance.read import findings
from app.services.core.errors import NotFoundError

__all__ = ["Report", "Subject", "find_subject", "period_report"]


@dataclass(frozen=True)
class Subject:
    """What ``--org`` named: a 社会组织 (with the 党组织 covering it) or a 党组织 (with what it covers)."""

    label: str
    party_org_ids: tuple[str, ...]
    org_ids: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    period: Period
    today: date
    subject: Subject | None
    rows: tuple[FindingRow, ...]


_ORG_MATCH = ("SELECT id, name FROM social_org WHERE deleted_at IS NULL AND (name = :q OR short_name = :q"
              " OR uscc = upper(:q))")
_PARTY_MATCH = "SELECT id, name FROM party_org WHERE deleted_at IS NULL AND name = :q"


def find_subject(session: Session, query: str) -> Subject:
    """The 社会组织 or 党组织 named by ``query`` (exact name, short name or 统一社会信用代码; else a unique
    part of a name).  NotFoundError says what was tried, or which names it could be."""
    query = query.strip()
    if not query:
        raise NotFoundError("请写出社会组织或党组织的名称（或统一社会信用代码）")
    found = _matches(session, query, exact=True) or _matches(session, query, exact=False)
    if not found:
        raise NotFoundError(f"没有找到名称或统一社会信用代码为“{query}”的社会组织或党组织："
                            "请核对名称（可只写名称的一部分）")
    if len(found) > 1:
        names = "、".join(name for _, name, _ in found[:5])
        more = "" if len(found) <= 5 else f"等 {len(found)} 个" if len(found) < 20 else "等 20 个以上"
        raise NotFoundError(f"“{query}”可指 {names}{more}：请写出完整名称或统一社会信用代码")
    [(found_id, name, is_party)] = found
    ids = {"id": found_id}
    if is_party:
        orgs = session.execute(text("SELECT org_id FROM party_org_coverage WHERE party_org_id = :id"
                                    " AND deleted_at IS NULL"), ids).scalars().all()
        return Subject(name, (found_id,), tuple(orgs))
    parties = session.execute(text("SELECT c.party_org_id FROM party_org_coverage AS c JOIN party_org AS p"
                                   " ON p.id = c.party_org_id WHERE c.org_id = :id AND c.deleted_at IS NULL"
                                   " AND p.deleted_at IS NULL"), ids).scalars().all()
    return Subject(name, tuple(parties), (found_id,))


def _matches(session: Session, query: str, *, exact: bool) -> list[tuple[str, str, bool]]:
    if exact:
        orgs, parties = _ORG_MATCH, _PARTY_MATCH
        params = {"q": query}
    else:
        like = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        orgs = "SELECT id, name FROM social_org WHERE deleted_at IS NULL AND name LIKE :q ESCAPE '\\'"
        parties = "SELECT id, name FROM party_org WHERE deleted_at IS NULL AND name LIKE :q ESCAPE '\\'"
        params = {"q": like}
    found = [(row[0], row[1], False) for row in session.execute(text(orgs + " LIMIT 20"), params)]
    found += [(row[0], row[1], True) for row in session.execute(text(parties + " LIMIT 20"), params)]
    return found


def _belongs(row: FindingRow, period: Period, today: date) -> bool:
    if row.period is not None:
        return row.period.first <= period.last and period.first <= row.period.last
    if row.due_on is not None and period.first <= row.due_on <= period.last:
        return True
    return today in period and row.rule_id is not RuleId.RECORD_INCOMPLETE  # a record is of its meeting's day


def period_report(factory: sessionmaker[Session], *, period: Period, today: date, query: str | None = None,
                  include_waived: bool = False) -> Report:
    """The findings for ``period`` (of the subject ``query`` names, else all), worst first."""
    with factory() as session:
        subject = find_subject(session, query) if query is not None else None
        rows = findings(session, party_org_ids=subject.party_org_ids if subject else None,
                        org_ids=subject.org_ids if subject else None, include_waived=include_waived)
    return Report(period, today, subject, tuple(row for row in rows if _belongs(row, period, today)))
