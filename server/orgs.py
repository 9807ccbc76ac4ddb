"""The district's organizations as the admin sees them: the live ``social_org`` records.

An organization is named on the command line by its 统一社会信用代码 (USCC) or its id.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import Record

SOCIAL_ORG = "social_org"


class UnknownOrgs(LookupError):
    """Codes that name no organization; ``str()`` is one Chinese line listing them."""

    def __init__(self, codes: list[str]) -> None:
        super().__init__(f"没有这些组织：{'、'.join(codes)}（请写统一社会信用代码或组织编号；用 list-orgs 查看）")
        self.codes = codes


@dataclass(frozen=True)
class OrgRow:
    id: str
    name: str
    uscc: str
    sub_district: str
    archived: bool


def live_org_records(session: Session) -> list[Record]:
    rows = session.execute(select(Record).where(Record.entity == SOCIAL_ORG, Record.deleted.is_(False)))
    return [row for row in rows.scalars() if not row.data.get("deleted_at")]


def org_rows(session: Session) -> list[OrgRow]:
    """Every live organization, by name."""
    rows = [OrgRow(id=r.id, name=str(r.data.get("name") or ""), uscc=str(r.data.get("uscc") or ""),
                   sub_district=str(r.data.get("sub_district") or ""), archived=bool(r.data.get("archived_at")))
            for r in live_org_records(session)]
    return sorted(rows, key=lambda row: (row.name, row.id))


def resolve_orgs(session: Session, codes: list[str]) -> list[str]:
    """The org ids ``codes`` name (USCC or id, in order, without repeats); UnknownOrgs naming every one
    that matches nothing."""
    by_code: dict[str, str] = {}
    for row in org_rows(session):
        by_code[row.id] = row.id
        if row.uscc:
            by_code.setdefault(row.uscc.upper(), row.id)
    unknown = [code for code in codes if code.strip().upper() not in by_code and code.strip() not in by_code]
    if unknown:
        raise UnknownOrgs(unknown)
    ids = [by_code.get(code.strip(), by_code.get(code.strip().upper(), "")) for code in codes]
    return list(dict.fromkeys(ids))
