"""Standing findings of a 社会组织: 应建未建, 工作覆盖 without an instructor, 党建入章, 年检, 评估, credit.

应建未建: ≥ 3 正式党员 working in the organization (``Member.org_id``) with their 组织关系 transferred in,
and no party organization *of its own*: a live 党组织 covering it and no other organization.  A 联合党支部
(or a 区域性 / 行业 one) covering it with others is not its own — those are for organizations with fewer
than 3 正式党员 (中国共产党支部工作条例（试行） 第五条), so an organization that has reached 3 should form its
own branch.  (The same definition as ``app.services.party.branch_check``.)  The finding names the 党组织
its members belong to, so it shows there too.

Organizations archived or deleted have no findings; 社区社会组织 (备案) have no charter approved by a
登记管理机关 and no 年检, so those two rules skip them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import Connection, text

from app.domain.branch_rules import FindingLevel, branch_setup_findings, should_form_branch
from app.domain.compliance import Level, RuleId
from app.domain.enums import Coverage, CreditListKind, EvaluationGrade, InspectionResult, OrgType
from app.domain.org_standing import (
    Standing,
    charter_standing,
    credit_standing,
    evaluation_standing,
    inspection_standing,
    no_instructor_standing,
)
from app.domain.policy import Policy
from app.services.compliance.roster import Roster
from app.services.compliance.store import NewFinding, json_ids
from app.services.orgs.facts import COVERAGE_OF_IDS_SQL, COVERAGE_SQL

__all__ = ["org_findings"]


def _day(value: object) -> date | None:
    return None if value is None else value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def org_findings(conn: Connection, roster: Roster, *, today: date, policy: Policy,
                 org_ids: Iterable[str] | None = None) -> list[NewFinding]:
    """The standing findings of ``org_ids`` (None: every organization).  ``roster``: the members working
    in them."""
    params: dict[str, object] = {"today": today.isoformat()}
    if org_ids is None:
        only, coverage = "", COVERAGE_SQL
    else:
        params["ids"] = json_ids(org_ids)
        only, coverage = " AND o.id IN (SELECT value FROM json_each(:ids))", COVERAGE_OF_IDS_SQL
    orgs = conn.execute(text(
        f"SELECT o.id, o.name, o.org_type, o.party_clause_in_charter, o.founded_on, o.evaluation_grade,"
        f" o.evaluation_date, {coverage.replace('social_org.id', 'o.id')} FROM social_org AS o"
        f" WHERE o.deleted_at IS NULL AND o.archived_at IS NULL{only}"), params).all()
    ids = json_ids(row[0] for row in orgs)
    own = {row[0] for row in conn.execute(text(
        "SELECT c.org_id FROM party_org_coverage AS c JOIN party_org AS p ON p.id = c.party_org_id"
        " WHERE c.deleted_at IS NULL AND p.deleted_at IS NULL AND c.org_id IN (SELECT value FROM json_each(:ids))"
        " AND (SELECT count(*) FROM party_org_coverage AS o WHERE o.party_org_id = p.id AND o.deleted_at IS NULL) = 1"),
        {"ids": ids})}
    inspections: dict[str, dict[int, InspectionResult]] = defaultdict(dict)
    for org_id, year, result in conn.execute(text(
            "SELECT org_id, year, result FROM annual_inspection WHERE deleted_at IS NULL AND year >= :from_year"
            " AND org_id IN (SELECT value FROM json_each(:ids))"), {"from_year": today.year - 2, "ids": ids}):
        inspections[org_id][int(year)] = InspectionResult(result)
    evaluations = {org_id: (EvaluationGrade(grade), _day(on)) for org_id, grade, on in conn.execute(text(
        "SELECT e.org_id, e.grade, e.evaluated_on FROM org_evaluation AS e WHERE e.deleted_at IS NULL"
        " AND e.org_id IN (SELECT value FROM json_each(:ids)) AND NOT EXISTS (SELECT 1 FROM org_evaluation AS f"
        " WHERE f.org_id = e.org_id AND f.deleted_at IS NULL AND (f.evaluated_on > e.evaluated_on"
        " OR (f.evaluated_on = e.evaluated_on AND f.id > e.id)))"), {"ids": ids})}
    listings = defaultdict(list)
    for org_id, kind, listed, reason in conn.execute(text(
            "SELECT org_id, kind, listed_on, reason FROM credit_listing"
            " WHERE deleted_at IS NULL AND listed_on <= :today"
            " AND (removed_on IS NULL OR removed_on > :today) AND org_id IN (SELECT value FROM json_each(:ids))"
            " ORDER BY listed_on"), {"today": today.isoformat(), "ids": ids}):
        listings[org_id].append(credit_standing(CreditListKind(kind), _day(listed), reason))  # type: ignore[arg-type]
    should_form = _should_form(roster, today=today, policy=policy, exclude=own)
    found: list[NewFinding] = []
    for org_id, name, org_type, charter, founded, grade, evaluated, covered in orgs:
        filed = org_type == OrgType.COMMUNITY_FILED.value

        def add(rule: RuleId, standing: Standing | None, party_org_id: str | None = None, *,
                org_id: str = org_id, name: str = name) -> None:
            if standing is not None:
                found.append(NewFinding(rule, standing.level, standing.message, party_org_id=party_org_id,
                                        org_id=org_id, subject=name, due_on=standing.due_on))

        if org_id in should_form:
            party_org_id, text_ = should_form[org_id]
            add(RuleId.BRANCH_SHOULD_FORM, Standing(Level.VIOLATION, None, text_), party_org_id)
        if covered == Coverage.NONE.value:
            add(RuleId.COVERAGE_NO_INSTRUCTOR, no_instructor_standing())
        if not filed and not charter:
            add(RuleId.CHARTER_CLAUSE, charter_standing())
        if not filed:
            add(RuleId.INSPECTION, inspection_standing(inspections.get(org_id, {}), founded_on=_day(founded),
                                                       today=today, policy=policy))
        latest = evaluations.get(org_id) or ((EvaluationGrade(grade), _day(evaluated)) if grade else (None, None))
        add(RuleId.EVALUATION, evaluation_standing(latest[0], latest[1], today=today, policy=policy))
        for listing in listings.get(org_id, ()):
            add(RuleId.CREDIT, listing)
    return found


def _should_form(roster: Roster, *, today: date, policy: Policy, exclude: set[str]) -> dict[str, tuple[str, str]]:
    """Organization -> (the 党组织 most of its members belong to, the message) where 应建未建 holds."""
    full: Counter[str] = Counter()
    members: Counter[str] = Counter()
    parties: dict[str, Counter[str]] = defaultdict(Counter)
    for member in roster.members:
        if member.org_id in exclude or not member.present(today):
            continue
        members[member.org_id] += 1
        if member.full_here(today):
            full[member.org_id] += 1
            parties[member.org_id][member.party_org_id] += 1
    result = {}
    for org_id, count in full.items():
        if not should_form_branch(count, policy=policy):
            continue
        findings = branch_setup_findings(full_members=count, members=members[org_id], has_party_org=False,
                                         policy=policy)
        text_ = next(f.text for f in findings if f.level is FindingLevel.VIOLATION)
        result[org_id] = (parties[org_id].most_common(1)[0][0], text_)
    return result
