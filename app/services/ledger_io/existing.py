"""The organizations already in the ledger, as the import matches file rows against them.

One pass over ``social_org`` builds the keys (统一社会信用代码; name and 街道; name); the matched
organizations' fields are then read in chunks.  Archived organizations match too (a file may bring one
back); tombstoned ones do not.  SQL on the caller's session; read-only.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.domain.enums import EvaluationGrade, OrgType
from app.domain.unknown_values import UnknownValue, parse_enum
from app.services.ledger_io.rows import SheetRow
from app.services.orgs import organizations
from app.services.orgs.dto import OrgInput

CHUNK = 500
SIMILAR_MIN = 4  # characters a name must keep (without its bracketed suffix) to be compared: not "协会"
_BRACKETED = re.compile(r"[(（【\[][^()（）【】\[\]]*[)）】\]]\s*$")


def similar_key(name: str) -> str:
    """A name as compared for likeness: NFKC, no spaces, without a trailing bracketed part (“（斗池）”)."""
    plain = "".join(unicodedata.normalize("NFKC", name).split())
    return _BRACKETED.sub("", plain)
_DATES = ("founded_on", "evaluation_date", "party_clause_approved_on")


@dataclass(frozen=True)
class Existing:
    id: str
    data: OrgInput  # a code this version does not know stays an UnknownValue (shown as 未知（code）)
    archived: bool
    archive_reason: str

    @property
    def unknown_code(self) -> str:
        """A type or grade from a newer server this version does not know ("" when none): such an
        organization is exported as it is but not changed by an import (as the form will not edit it)."""
        for value in (self.data.org_type, self.data.evaluation_grade):
            if isinstance(value, UnknownValue):
                return value.value
        return ""


@dataclass
class ExistingIndex:
    by_code: dict[str, str]
    by_place: dict[tuple[str, str], list[str]]  # (name, 街道) -> ids
    by_name: dict[str, list[str]]
    code_of: dict[str, str]  # id -> its code ("" for none)
    in_street: dict[str, list[tuple[str, str, str]]]  # 街道 -> (name, 社区, code) of its organizations

    @classmethod
    def load(cls, session: Session) -> ExistingIndex:
        index = cls({}, {}, {}, {}, {})
        rows = session.execute(text("SELECT id, uscc, name, sub_district, community FROM social_org"
                                    " WHERE deleted_at IS NULL"))
        for org_id, code, name, street, community in rows:
            index.code_of[org_id] = code or ""
            if code:
                index.by_code.setdefault(code, org_id)
            index.by_place.setdefault((name, street or ""), []).append(org_id)
            index.by_name.setdefault(name, []).append(org_id)
            if street:
                index.in_street.setdefault(street, []).append((name, community or "", code or ""))
        return index

    def similar(self, row: SheetRow) -> tuple[str, str] | None:
        """An organization of the row's 社区 (else 街道) whose name is very like the row's — one holds the
        other, or they differ only in a bracketed suffix — as (its name, the place): perhaps the same one
        renamed.  None when there is none, or the row has no 街道."""
        community = str(row.values.get("community") or "").strip()
        mine = similar_key(row.name)
        if not row.street or len(mine) < SIMILAR_MIN:
            return None
        for name, place, code in self.in_street.get(row.street, ()):
            if (community and place != community) or (row.uscc and code and code != row.uscc) or name == row.name:
                continue
            theirs = similar_key(name)
            if len(theirs) >= SIMILAR_MIN and (mine in theirs or theirs in mine):
                return name, community or row.street
        return None

    def _by_name(self, row: SheetRow) -> list[str]:
        found = self.by_place.get((row.name, row.street), []) if row.street else self.by_name.get(row.name, [])
        # a row with a code matches by name only an organization that has no code yet
        return [i for i in found if not row.uscc or not self.code_of[i]]

    def match(self, row: SheetRow) -> str | None:
        if row.uscc and row.uscc in self.by_code:
            return self.by_code[row.uscc]
        found = self._by_name(row)
        return found[0] if len(found) == 1 else None

    def match_all(self, rows: Sequence[SheetRow]) -> list[str | None]:
        return [self.match(row) for row in rows]

    def ambiguous(self, row: SheetRow) -> str | None:
        """Why an unmatched row cannot be placed (several organizations share its name), else None."""
        found = self._by_name(row)
        if len(found) < 2:
            return None
        where = f"街道“{row.street}”中" if row.street else "台账中"
        return (f"{where}有 {len(found)} 个名为“{row.name}”的组织，无法确定是哪一个："
                "请填写统一社会信用代码" + ("" if row.street else "或所在街道"))


def _input(values: dict[str, object]) -> OrgInput:
    for key in _DATES:
        raw = values[key]
        values[key] = None if raw is None else date.fromisoformat(str(raw))
    values["org_type"] = parse_enum(OrgType, str(values["org_type"]))
    grade = values["evaluation_grade"]
    values["evaluation_grade"] = parse_enum(EvaluationGrade, str(grade)) if grade else None
    values["party_clause_in_charter"] = bool(values["party_clause_in_charter"])
    return OrgInput(**values)  # type: ignore[arg-type]


_READ_SQL = ("SELECT id, archived_at IS NOT NULL, archive_reason, {columns} FROM social_org"
             " WHERE id IN (SELECT value FROM json_each(:ids))")
# The export's order: the ledger's name order, then what tells same-named organizations apart (never the
# id, so a file imported into another profile exports in the same order).
_FILE_ORDER = " ORDER BY name_pinyin, name, uscc, sub_district, community, address, id"


def _read(session: Session, ids: Sequence[str], order: str = "") -> list[Existing]:
    columns = ", ".join(organizations.INPUT_FIELDS)
    rows = session.execute(text(_READ_SQL.format(columns=columns) + order), {"ids": json.dumps(list(ids))})
    return [Existing(org_id, _input(dict(zip(organizations.INPUT_FIELDS, values, strict=True))), bool(archived),
                     reason or "") for org_id, archived, reason, *values in rows]


def load_existing(session: Session, ids: Iterable[str]) -> dict[str, Existing]:
    """The saved fields of ``ids`` (as the form would show them)."""
    wanted = sorted(set(ids))
    found: dict[str, Existing] = {}
    for start in range(0, len(wanted), CHUNK):
        found.update((e.id, e) for e in _read(session, wanted[start : start + CHUNK]))
    return found


def read_in_file_order(session: Session, ids: Sequence[str]) -> list[Existing]:
    """The organizations ``ids`` in the export's order (by name, then code and place)."""
    return _read(session, ids, _FILE_ORDER)


def fingerprint(session: Session) -> tuple[int, str]:
    """What changes whenever any organization is saved, archived, deleted or pulled: (count, latest save)."""
    count, latest = session.execute(text("SELECT count(*), max(updated_at) FROM social_org")).one()
    return int(count), str(latest or "")
