"""Demo 社会组织: names, 统一社会信用代码, addresses, 年检, 异常名录, 换届 — and which get party members.

``OrgMaker.make`` builds one organization row; uniqueness of names and codes is kept against what the
database already holds (a second seed adds to it without duplicates).
"""

from __future__ import annotations

import random
import re
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from app.demo import names as N
from app.demo.base import DemoContext, Row, add_years, chinese_number
from app.demo.texts import ANNUAL_CHECK_TITLE
from app.demo.visits import emit_rectification
from app.domain.enums import CreditListKind, EvaluationGrade, InspectionResult, OrgType, RectificationSource
from app.domain.uscc import EXPECTED_TYPE_DIGIT, make_code
from app.models import AnnualInspection, CreditListing, OrgEvaluation, OrgTerm, new_id
from app.services.core import clock
from app.services.orgs import search

TYPE_WEIGHTS = {OrgType.SOCIAL_GROUP: 30, OrgType.SOCIAL_SERVICE: 35, OrgType.FOUNDATION: 2,
                OrgType.COMMUNITY_FILED: 33}
# (district, city, province) registration level weights per type
LEVEL_WEIGHTS = {OrgType.SOCIAL_GROUP: (70, 25, 5), OrgType.SOCIAL_SERVICE: (85, 15, 0),
                 OrgType.FOUNDATION: (20, 45, 35)}
TERM_YEARS = {OrgType.SOCIAL_GROUP: 5, OrgType.SOCIAL_SERVICE: 4, OrgType.FOUNDATION: 5}
GRADE_WEIGHTS = ((EvaluationGrade.A1, 7), (EvaluationGrade.A2, 15), (EvaluationGrade.A3, 45),
                 (EvaluationGrade.A4, 25), (EvaluationGrade.A5, 8))
EVALUATION_NOTES = ("区民政局社会组织等级评估", "第三方机构评估", "复评", "")
INSPECTION_WEIGHTS = ((InspectionResult.PASSED, 80), (InspectionResult.BASICALLY_PASSED, 10),
                      (InspectionResult.FAILED, 3), (InspectionResult.NOT_INSPECTED, 7))
_GB11714_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_NEW_CODE_LETTERS = "ABCDEFGHJKLMNPQRTUWXY"
USCC_REFORM = date(2016, 1, 1)  # codes issued after this carry an "MJ…" body, older ones the old 组织机构代码


class OrgStub(NamedTuple):
    """What later steps need to know about an organization."""

    id: str
    name: str
    org_type: OrgType
    street: str
    community: str
    founded_on: date
    archived: bool


def gb11714_check(body8: str) -> str:
    """Check character of an old 组织机构代码 (positions 9-17 of a 统一社会信用代码 end with it)."""
    total = sum(int(ch, 36) * w for ch, w in zip(body8, _GB11714_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


_DOUBLED = re.compile(r"(..+)\1")


def has_doubled_word(name: str) -> bool:
    """A word of two or more characters written twice in a row ("爱心爱心帮扶队"): never a real name."""
    return _DOUBLED.search(name) is not None


def name_key(name: str) -> str:
    """What makes two names the same: 福州市鼓楼区X and 鼓楼区X are one organization."""
    return name.replace(N.DISTRICT[0], N.DISTRICT_SHORT)


class OrgMaker:
    """Builds organization rows; ``taken_names`` / ``taken_codes`` hold what already exists."""

    def __init__(self, ctx: DemoContext, taken_names: set[str], taken_codes: set[str]) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        # 评估 history draws from its own source (seeded from the main one without drawing from it), so
        # adding it left every other generated value as it was
        self.history_rng = random.Random(hash(ctx.rng.getstate()))
        self.names = {name_key(name) for name in taken_names}
        self.codes = taken_codes

    # --- names -------------------------------------------------------------------------------------
    def brand(self) -> str:
        if self.rng.random() < 0.45:
            return self.rng.choice(N.BRANDS)
        return self.rng.choice(N.BRAND_FIRST) + self.rng.choice(N.BRAND_SECOND)

    def _prefix(self, level: tuple[str, str, str]) -> str:
        if level is N.DISTRICT and self.rng.random() < 0.2:
            return N.DISTRICT_SHORT
        return level[0]

    def _name_parts(self, org_type: OrgType, level: tuple[str, str, str], street: str, community: str,
                    category: str) -> list[str]:
        rng = self.rng
        if org_type is OrgType.COMMUNITY_FILED:
            scope = community if rng.random() < 0.8 else street
            activity = rng.choice(N.COMMUNITY_ACTIVITIES[category])
            brand = [rng.choice(N.COMMUNITY_BRANDS)] if rng.random() < 0.5 else []
            return [scope, *brand, activity]
        prefix = self._prefix(level)
        if org_type is OrgType.FOUNDATION:
            brand = [self.brand()] if rng.random() < 0.6 else []
            return [prefix, *brand, rng.choice(N.FOUNDATION_CAUSES), "基金会"]
        if org_type is OrgType.SOCIAL_GROUP and level is N.CITY and rng.random() < 0.4:
            return [prefix, rng.choice(N.HOMETOWNS), "商会"]
        fields = N.GROUP_FIELDS if org_type is OrgType.SOCIAL_GROUP else N.SERVICE_FIELDS
        work = rng.choice(fields)
        brand = [self.brand()] if work.branded else []
        return [prefix, *brand, work.name, rng.choice(work.forms)]

    def unique_name(self, org_type: OrgType, level: tuple[str, str, str], street: str, community: str,
                    category: str) -> list[str]:
        clean: list[str] | None = None  # the last candidate without a doubled word
        for attempt in range(40):
            parts = self._name_parts(org_type, level, street, community, category)
            if attempt >= 20:  # a crowded district: qualify the name, as real names sometimes do
                filed = org_type is OrgType.COMMUNITY_FILED
                parts.insert(1, self.brand() if filed else community.removesuffix("社区"))
            joined = "".join(parts)
            if has_doubled_word(joined):  # e.g. brand 爱心 + activity 爱心帮扶队: draw again
                continue
            clean = parts
            if name_key(joined) not in self.names:
                break
        else:
            while clean is None:  # practically never: 40 draws that all doubled a word
                candidate = self._name_parts(org_type, level, street, community, category)
                clean = None if has_doubled_word("".join(candidate)) else candidate
            parts = [*clean, f"（{chinese_number(len(self.names) % 9999 + 1)}）"]
        self.names.add(name_key("".join(parts)))
        return parts

    # --- codes -------------------------------------------------------------------------------------
    def uscc(self, org_type: OrgType, region: str, founded_on: date) -> str:
        rng = self.rng
        while True:
            if founded_on < USCC_REFORM:
                body = f"5{rng.randrange(10**7):07d}"
            else:
                body = f"MJ{rng.choice(_NEW_CODE_LETTERS)}{rng.randrange(10**5):05d}"
            code = make_code(EXPECTED_TYPE_DIGIT[org_type], region, body + gb11714_check(body))
            if code not in self.codes:
                self.codes.add(code)
                return code

    # --- the organization ---------------------------------------------------------------------------
    def make(self) -> tuple[Row, OrgStub]:
        rng, ctx, today = self.rng, self.ctx, self.ctx.today
        org_type = rng.choices(list(TYPE_WEIGHTS), weights=list(TYPE_WEIGHTS.values()))[0]
        street = rng.choice(N.STREET_NAMES)
        communities, roads = N.STREETS[street]
        community = rng.choice(communities)
        filed = org_type is OrgType.COMMUNITY_FILED
        level = N.DISTRICT if filed else rng.choices((N.DISTRICT, N.CITY, N.PROVINCE),
                                                      weights=LEVEL_WEIGHTS[org_type])[0]
        category = rng.choice(list(N.COMMUNITY_ACTIVITIES)) if filed else ""
        parts = self.unique_name(org_type, level, street, community, category)
        name = "".join(parts)
        earliest = date(2014, 1, 1) if filed else date(1995, 1, 1)
        founded_on = max(ctx.date_between(earliest, today - timedelta(days=60)) for _ in range(2))
        has_code = not filed or rng.random() < 0.25
        work = self._work_of(org_type, parts)
        full, initials = search.pinyin_keys(name)  # what the service stores for the same name
        org_id = new_id()
        row: Row = {
            "id": org_id, "org_id": org_id, "name": name, "org_type": org_type,
            "short_name": "".join(parts[1:]) if not filed and rng.random() < 0.4 else "",
            "community_category": category,
            "uscc": self.uscc(org_type, level[1], founded_on) if has_code else "",
            "legal_representative": ctx.person()[0],
            "registration_authority": N.filing_authority(street) if filed else level[2],
            "supervisory_unit": work[0], "industry_department": work[1], "founded_on": founded_on,
            "sub_district": street, "community": community, "address": self._address(roads, community, filed),
            "contact_person": ctx.person()[0], "contact_phone": self._phone(),
            "name_pinyin": full, "name_initials": initials, **self._sizes(org_type),
        }
        self._evaluation(row, filed)
        archived = not filed and rng.random() < 0.01
        if archived:
            moment = ctx.date_between(max(founded_on, add_years(today, -3)), today - timedelta(days=1))
            row["archived_at"] = clock.from_civil(datetime.combine(moment, time(10, 0)))  # an instant
            row["archive_reason"] = rng.choice(N.ARCHIVE_REASONS)
        return row, OrgStub(org_id, name, org_type, street, community, founded_on, archived)

    def _sizes(self, org_type: OrgType) -> Row:
        """专职工作人员数 and 会员数 (a 社团 has members; a 备案 group counts its participants)."""
        rng = self.rng
        if org_type is OrgType.COMMUNITY_FILED:
            return {"staff_count": None, "member_count": rng.randint(8, 120)}
        if org_type is OrgType.SOCIAL_GROUP:
            return {"staff_count": rng.randint(1, 10), "member_count": rng.randint(30, 600)}
        return {"staff_count": rng.randint(2, 60), "member_count": None}

    def _work_of(self, org_type: OrgType, parts: list[str]) -> tuple[str, str]:
        """(业务主管单位, 行业管理部门) from the field the name was built on."""
        if org_type is OrgType.COMMUNITY_FILED:
            return "", ""
        fields = N.GROUP_FIELDS if org_type is OrgType.SOCIAL_GROUP else N.SERVICE_FIELDS
        for work in fields:
            if work.name in parts:
                return work.supervisory, work.industry
        return "", N.DISTRICT[2]

    def _address(self, roads: tuple[str, ...], community: str, filed: bool) -> str:
        rng = self.rng
        base = f"{N.DISTRICT[0]}{rng.choice(roads)}{rng.randint(1, 300)}号"
        if filed:
            return base + (f"（{community}党群服务中心）" if rng.random() < 0.5 else "")
        if rng.random() < 0.5:
            return base + f"{rng.choice(N.BRANDS)}{rng.choice(N.BUILDINGS)}{rng.randint(2, 25)}层"
        return base + f"{rng.randint(1, 12)}号楼{rng.randint(1, 18)}{rng.randint(1, 9):02d}室"

    def _phone(self) -> str:
        if self.rng.random() < 0.3:
            return f"0591-8{self.rng.randint(0, 9999999):07d}"
        return self.ctx.mobile()

    def _evaluation(self, row: Row, filed: bool) -> None:
        rng, ctx, today = self.rng, self.ctx, self.ctx.today
        founded: date = row["founded_on"]
        if not filed and founded < add_years(today, -2) and rng.random() < 0.18:
            row["evaluation_grade"] = rng.choices([g for g, _ in GRADE_WEIGHTS],
                                                  weights=[w for _, w in GRADE_WEIGHTS])[0]
            row["evaluation_date"] = ctx.date_between(max(add_years(founded, 2), add_years(today, -7)),
                                                      today - timedelta(days=30))
        if rng.random() < (0.2 if filed else 0.5):
            row["party_clause_in_charter"] = True
            row["party_clause_approved_on"] = ctx.date_between(max(founded, date(2016, 6, 1)),
                                                               today - timedelta(days=10))


    def emit_evaluation_history(self, row: Row) -> None:
        """评估 history of a graded organization ``row`` (as ``make`` returned it), ending in its current
        grade: an earlier evaluation about every five years (re-evaluated when the grade ran out), a grade
        near the later one."""
        if row.get("evaluation_grade") is None:
            return
        rng, grades = self.history_rng, [g for g, _ in GRADE_WEIGHTS]
        grade, evaluated_on = row["evaluation_grade"], row["evaluation_date"]
        history = [(grade, evaluated_on)]
        while rng.random() < 0.5:
            earlier = add_years(evaluated_on, -5) - timedelta(days=rng.randint(0, 120))
            if earlier < add_years(row["founded_on"], 2):
                break
            index = min(max(grades.index(grade) + rng.choice((-1, 0, 0, 0, 1)), 0), len(grades) - 1)
            grade, evaluated_on = grades[index], earlier
            history.append((grade, evaluated_on))
        for grade, evaluated_on in history:
            self.ctx.writer.add(OrgEvaluation, {
                "id": new_id(), "org_id": row["id"], "grade": grade, "evaluated_on": evaluated_on,
                "note": rng.choice(EVALUATION_NOTES),
            })


def emit_org_facts(ctx: DemoContext, stub: OrgStub) -> None:
    """换届 terms, 年检 results of the history window and credit listings of one organization."""
    if stub.org_type is OrgType.COMMUNITY_FILED:
        return
    _terms(ctx, stub)
    missed = _inspections(ctx, stub)
    _credit(ctx, stub, missed)


def _terms(ctx: DemoContext, stub: OrgStub) -> None:
    length = TERM_YEARS[stub.org_type]
    done = (ctx.today - stub.founded_on).days // (length * 365)
    current = done + 1
    if done >= 1 and ctx.rng.random() < 0.1:
        current = done  # 换届 overdue: the last term ended and no new one was recorded
    first = max(1, current - (1 if ctx.rng.random() < 0.5 else 0))
    for term_no in range(first, current + 1):
        started = add_years(stub.founded_on, (term_no - 1) * length)
        ctx.writer.add(OrgTerm, {
            "id": new_id(), "org_id": stub.id, "term_no": term_no, "started_on": started,
            "ends_on": add_years(started, length) - timedelta(days=1),
            "note": f"第{chinese_number(term_no)}届理事会",
        })


def _inspections(ctx: DemoContext, stub: OrgStub) -> list[int]:
    """年检 of each year of the window (held the following spring); returns the years not inspected."""
    rng, missed = ctx.rng, []
    results, weights = [r for r, _ in INSPECTION_WEIGHTS], [w for _, w in INSPECTION_WEIGHTS]
    for year in range(ctx.today.year - ctx.years, ctx.today.year):
        if stub.founded_on.year > year:
            continue
        result = rng.choices(results, weights=weights)[0]
        notes = N.INSPECTION_NOTES.get(result.value)
        ctx.writer.add(AnnualInspection, {
            "id": new_id(), "org_id": stub.id, "year": year, "result": result,
            "note": rng.choice(notes) if notes else "",
        })
        if result is InspectionResult.NOT_INSPECTED:
            missed.append(year)
        raised = date(year + 1, 6, 1) + timedelta(days=rng.randint(0, 60))
        if result is InspectionResult.FAILED and raised <= ctx.today:
            title = ANNUAL_CHECK_TITLE.format(year=year, result=result.label)
            emit_rectification(ctx, stub.id, RectificationSource.ANNUAL_CHECK, raised, title)
    return missed


def _credit(ctx: DemoContext, stub: OrgStub, missed: list[int]) -> None:
    rng, today = ctx.rng, ctx.today
    listings: list[tuple[CreditListKind, date, str]] = []
    for year in missed:
        listed = date(year + 1, 7, 1) + timedelta(days=rng.randint(0, 60))
        if listed <= today and rng.random() < 0.6:
            listings.append((CreditListKind.ABNORMAL, listed, N.ABNORMAL_REASONS[0]))
    if rng.random() < 0.015:
        listed = ctx.date_between(add_years(today, -3), today - timedelta(days=5))
        listings.append((CreditListKind.ABNORMAL, listed, rng.choice(N.ABNORMAL_REASONS[1:])))
    if rng.random() < 0.002:
        listed = ctx.date_between(add_years(today, -2), today - timedelta(days=5))
        listings.append((CreditListKind.SERIOUS, listed, N.SERIOUS_REASON))
    for kind, listed, reason in listings:
        removed = None
        if kind is CreditListKind.ABNORMAL and rng.random() < 0.4 and listed < today - timedelta(days=30):
            removed = ctx.date_between(listed + timedelta(days=20), today)
        ctx.writer.add(CreditListing, {
            "id": new_id(), "org_id": stub.id, "kind": kind, "listed_on": listed, "reason": reason,
            "removed_on": removed,
        })
