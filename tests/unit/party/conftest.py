"""Helpers of the 党组织 service tests: organizations and party organizations made through the services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from app.domain.enums import MemberKind, OrgType, PartyOrgFormation, PartyOrgLevel
from app.models import SocialOrg, new_id
from app.services.core.database import Database
from app.services.core.outbox import record_upsert
from app.services.party import members, party_orgs
from app.services.party.dto import MemberInput, PartyOrgInput

ACTOR = "u:test"
TODAY = date(2026, 3, 31)


@pytest.fixture
def make_org(db: Database) -> Callable[..., str]:
    def make(name: str, sub_district: str = "东街街道") -> str:
        org_id = new_id()
        with db.session_factory.begin() as session:
            record_upsert(session, SocialOrg(id=org_id, org_id=org_id, name=name, org_type=OrgType.COMMUNITY_FILED,
                                             sub_district=sub_district), actor=ACTOR)
        return org_id

    return make


@pytest.fixture
def make_party(db: Database) -> Callable[..., str]:
    def make(name: str, *org_ids: str, formation: PartyOrgFormation = PartyOrgFormation.SINGLE) -> str:
        data = PartyOrgInput(name=name, level=PartyOrgLevel.BRANCH, formation=formation,
                             superior_org="中共东街街道工作委员会", established_on=date(2020, 1, 1), org_ids=org_ids)
        return party_orgs.create_party_org(db.session_factory, data, actor=ACTOR, today=TODAY).id

    return make


@pytest.fixture
def make_member(db: Database) -> Callable[..., str]:
    def make(party_id: str, org_id: str, name: str, kind: MemberKind = MemberKind.FULL,
             since: date = date(2015, 1, 1), *, relation_in: bool = True, relation_on: date | None = None) -> str:
        data = MemberInput(name=name, org_id=org_id, kind=kind, kind_since=since, relation_in=relation_in,
                           relation_on=relation_on)
        return members.add_member(db.session_factory, party_id, data, actor=ACTOR, today=TODAY)

    return make
