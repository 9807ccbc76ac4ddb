"""党组织: one keyword-only function per user action.

Reads run on the parallel lane; writes on the serialized lane, and each success is broadcast on the change
bus under the table it wrote (``party_org``, ``party_org_term``, ``committee_member``, ``party_group``,
``member``) with the party organization's id, so the 党组织 view (and later the meeting form and the
工作台) re-read what they show.  A new or edited party organization also changes its organizations'
组织覆盖: ``social_org`` is broadcast too, so the ledger re-reads its coverage column.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QObject

from app.services import party
from app.services.orgs import quick_find
from app.services.orgs.dto import OrgHit
from app.services.party import groups, members, party_orgs, terms
from app.services.party.dto import (
    CommitteePostInput,
    ExclusionInput,
    GroupInput,
    MemberInput,
    PartyOrgDetail,
    PartyOrgInput,
    PartyOrgSummary,
    ProbationInput,
    RosterEntry,
    TermInput,
)
from app.ui.bus import ORG_ENTITY, Change
from app.ui.context import UiContext
from app.ui.operations.writes import submit_write
from app.ui.tasks import Lane, OnError, TaskHandle

PARTY_ENTITY = "party_org"
TERM_ENTITY = "party_org_term"
COMMITTEE_ENTITY = "committee_member"
GROUP_ENTITY = "party_group"
MEMBER_ENTITY = "member"
PARTY_ENTITIES = frozenset({PARTY_ENTITY, TERM_ENTITY, COMMITTEE_ENTITY, GROUP_ENTITY, MEMBER_ENTITY,
                            "party_org_coverage", "member_kind_change", "member_probation",
                            "member_relation_change", "member_expected_exclusion"})


def _read(ctx: UiContext, work: Callable[[], Any], on_done: Callable[[Any], None], on_error: OnError | None,
          owner: QObject | None) -> TaskHandle:
    return ctx.runner.submit(work, lane=Lane.READ, on_done=on_done, on_error=on_error, owner=owner)


_write = submit_write


# -- reads ---------------------------------------------------------------------------------------------


def load_party_orgs(*, ctx: UiContext, query: str, mine: bool, on_done: Callable[[tuple[PartyOrgSummary, ...]], None],
                    on_error: OnError | None = None, owner: QObject | None = None) -> TaskHandle:
    factory = ctx.database.session_factory
    return _read(ctx, lambda: party.list_party_orgs(factory, query=query, mine=mine), on_done, on_error, owner)


def load_detail(*, ctx: UiContext, party_org_id: str, on_done: Callable[[PartyOrgDetail], None],
                on_error: OnError | None = None, owner: QObject | None = None) -> TaskHandle:
    factory = ctx.database.session_factory
    return _read(ctx, lambda: party.party_org_detail(factory, party_org_id), on_done, on_error, owner)


def load_roster(*, ctx: UiContext, party_org_id: str, day: date | None,
                on_done: Callable[[tuple[RosterEntry, ...]], None], on_error: OnError | None = None,
                owner: QObject | None = None) -> TaskHandle:
    factory = ctx.database.session_factory
    return _read(ctx, lambda: party.load_roster(factory, party_org_id, day=day), on_done, on_error, owner)


def load_member(*, ctx: UiContext, member_id: str, on_done: Callable[[tuple[MemberInput, datetime]], None],
                on_error: OnError | None = None, owner: QObject | None = None) -> TaskHandle:
    factory = ctx.database.session_factory
    return _read(ctx, lambda: members.load_member(factory, member_id), on_done, on_error, owner)


def find_orgs(*, ctx: UiContext, query: str, on_done: Callable[[list[OrgHit]], None],
              owner: QObject | None = None) -> TaskHandle:
    """The ledger's quick find, for picking the organizations a party organization covers."""
    factory = ctx.database.session_factory
    return _read(ctx, lambda: quick_find.search_orgs(factory, query, limit=30), on_done, None, owner)


# -- writes --------------------------------------------------------------------------------------------


def _party_changes(entity: str, party_org_id: str, origin: str, action: str) -> list[Change]:
    return [Change(entity, (party_org_id,), origin, action)]


def save_party_org(*, ctx: UiContext, data: PartyOrgInput, party_org_id: str | None,
                   expected_updated_at: datetime | None, on_done: Callable[[PartyOrgDetail], None],
                   on_error: OnError | None = None, origin: str = "", owner: QObject | None = None) -> TaskHandle:
    """New (``party_org_id`` None) or edited party organization with the organizations it covers."""
    factory, actor = ctx.database.session_factory, ctx.actor

    def work() -> PartyOrgDetail:
        if party_org_id is None:
            return party_orgs.create_party_org(factory, data, actor=actor)
        return party_orgs.update_party_org(factory, party_org_id, data, actor=actor,
                                           expected_updated_at=expected_updated_at)

    action = "create" if party_org_id is None else "update"

    def changes(detail: PartyOrgDetail) -> list[Change]:
        return [Change(PARTY_ENTITY, (detail.id,), origin, action),
                Change(ORG_ENTITY, data.org_ids, origin, "coverage")]

    return _write(ctx, work, changes, owner, on_done, on_error)


def start_term(*, ctx: UiContext, party_org_id: str, data: TermInput, on_done: Callable[[str], None],
               on_error: OnError | None = None, origin: str = "", owner: QObject | None = None) -> TaskHandle:
    """换届 (or the first term)."""
    factory, actor = ctx.database.session_factory, ctx.actor
    return _write(ctx, lambda: terms.start_term(factory, party_org_id, data, actor=actor),
                  lambda _id: _party_changes(TERM_ENTITY, party_org_id, origin, "create"), owner, on_done, on_error)


def add_committee_post(*, ctx: UiContext, party_org_id: str, term_id: str, data: CommitteePostInput,
                       on_done: Callable[[str], None], on_error: OnError | None = None, origin: str = "",
                       owner: QObject | None = None) -> TaskHandle:
    factory, actor = ctx.database.session_factory, ctx.actor
    return _write(ctx, lambda: terms.add_committee_post(factory, term_id, data, actor=actor),
                  lambda _id: _party_changes(COMMITTEE_ENTITY, party_org_id, origin, "create"), owner, on_done,
                  on_error)


def end_committee_post(*, ctx: UiContext, party_org_id: str, post_id: str, last_day: date | None,
                       on_done: Callable[[str], None], on_error: OnError | None = None, origin: str = "",
                       owner: QObject | None = None) -> TaskHandle:
    factory, actor = ctx.database.session_factory, ctx.actor
    return _write(ctx, lambda: terms.end_committee_post(factory, post_id, last_day, actor=actor),
                  lambda _id: _party_changes(COMMITTEE_ENTITY, party_org_id, origin, "update"), owner, on_done,
                  on_error)


def save_group(*, ctx: UiContext, party_org_id: str, group_id: str | None, data: GroupInput,
               on_done: Callable[[str], None], on_error: OnError | None = None, origin: str = "",
               owner: QObject | None = None) -> TaskHandle:
    """Add (``group_id`` None) or rename a 党小组."""
    factory, actor = ctx.database.session_factory, ctx.actor

    def work() -> str:
        if group_id is None:
            return groups.add_group(factory, party_org_id, data, actor=actor)
        return groups.update_group(factory, group_id, data, actor=actor)

    return _write(ctx, work, lambda _id: _party_changes(GROUP_ENTITY, party_org_id, origin, "update"), owner,
                  on_done, on_error)


def dissolve_group(*, ctx: UiContext, party_org_id: str, group_id: str, last_day: date | None,
                   on_done: Callable[[int], None], on_error: OnError | None = None, origin: str = "",
                   owner: QObject | None = None) -> TaskHandle:
    factory, actor = ctx.database.session_factory, ctx.actor
    return _write(ctx, lambda: groups.dissolve_group(factory, group_id, last_day, actor=actor),
                  lambda _n: _party_changes(GROUP_ENTITY, party_org_id, origin, "dissolve"), owner, on_done,
                  on_error)


def save_member(*, ctx: UiContext, party_org_id: str, member_id: str | None, data: MemberInput,
                expected_updated_at: datetime | None, on_done: Callable[[str], None],
                on_error: OnError | None = None, origin: str = "", owner: QObject | None = None) -> TaskHandle:
    """Add (``member_id`` None) or edit a member."""
    factory, actor = ctx.database.session_factory, ctx.actor

    def work() -> str:
        if member_id is None:
            return members.add_member(factory, party_org_id, data, actor=actor)
        return members.update_member(factory, member_id, data, actor=actor, expected_updated_at=expected_updated_at)

    return _write(ctx, work, lambda _id: _party_changes(MEMBER_ENTITY, party_org_id, origin, "update"), owner,
                  on_done, on_error)


def record_member_event(*, ctx: UiContext, party_org_id: str, member_id: str,
                        event: ProbationInput | ExclusionInput | tuple[str, date | None],
                        on_done: Callable[[str], None], on_error: OnError | None = None, origin: str = "",
                        owner: QObject | None = None) -> TaskHandle:
    """转正 (``("confirm", day)``), 组织关系转出 (``("transfer_out", day)``), 留党察看 (ProbationInput) or
    经批准不计入应到 (ExclusionInput)."""
    factory, actor = ctx.database.session_factory, ctx.actor

    def work() -> str:
        if isinstance(event, ProbationInput):
            return members.add_probation(factory, member_id, event, actor=actor)
        if isinstance(event, ExclusionInput):
            return members.add_exclusion(factory, member_id, event, actor=actor)
        what, day = event
        if what == "confirm":
            return members.confirm_full(factory, member_id, day, actor=actor)
        return members.transfer_out(factory, member_id, day, actor=actor)

    return _write(ctx, work, lambda _id: _party_changes(MEMBER_ENTITY, party_org_id, origin, "update"), owner,
                  on_done, on_error)
