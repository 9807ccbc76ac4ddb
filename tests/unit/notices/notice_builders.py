"""Small worlds for the notices' tests: organizations, rectification items, planned visits, written through
the outbox capture like the services write them."""

from __future__ import annotations

from datetime import date, datetime

from app.domain.enums import OrgType, RectificationSource, RectificationStatus, VisitMode, VisitStatus
from app.models import Rectification, SocialOrg, Visit, new_id
from app.services.core.database import Database
from app.services.core.outbox import record_upsert

ACTOR = "u:test"


def add(db: Database, *rows: object) -> None:
    with db.session_factory.begin() as session:
        for row in rows:
            record_upsert(session, row, actor=ACTOR)  # type: ignore[arg-type]


def org(db: Database, name: str, *, phone: str = "13905912345") -> str:
    org_id = new_id()
    add(db, SocialOrg(id=org_id, org_id=org_id, name=name, org_type=OrgType.SOCIAL_SERVICE,
                      contact_person="林晓梅", contact_phone=phone, founded_on=date(2010, 1, 1)))
    return org_id


def item(db: Database, org_id: str, title: str, *, deadline: date = date(2026, 4, 30),
         status: RectificationStatus = RectificationStatus.DRAFT, raised_on: date = date(2026, 3, 20)) -> str:
    item_id = new_id()
    add(db, Rectification(id=item_id, org_id=org_id, source=RectificationSource.INSPECTION, title=title,
                          description=f"{title}，情况属实。", basis="《中国共产党支部工作条例（试行）》",
                          requirement=f"{title}：限期整改到位。", responsible_person="王建国", raised_on=raised_on,
                          deadline=deadline, status=status))
    return item_id


def visit(db: Database, org_id: str, *, on: date = date(2026, 4, 8), surprise: bool = False,
          status: VisitStatus = VisitStatus.PLANNED) -> str:
    visit_id = new_id()
    add(db, Visit(id=visit_id, org_id=org_id, instructor_id=new_id(), status=status, surprise=surprise,
                  visited_on=on, started_at=datetime(on.year, on.month, on.day, 9, 30), mode=VisitMode.ON_SITE,
                  met_with="", summary=""))
    return visit_id
