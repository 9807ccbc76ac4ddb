"""整改 area: rectification items, their append-only follow-ups and the flow of DESIGN §2.1 (issue 8).

Items are created as 草稿 (``create_item``; from a visit's finding or entered directly), edited or deleted
only while 草稿, and moved along only by appended follow-ups (``append_follow_up``; the notices area uses
``issue_in_session`` / ``acknowledge_in_session`` inside its own transaction).  The status is always what
the follow-ups, replayed in order, lead to (``status_from_follow_ups``; see ``history`` and
``app.domain.rectification_flow``).  Other areas use it only through the public names below.

The names load on first use (PEP 562): importing the area costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.services.core.lazy import lazy_exports

if TYPE_CHECKING:
    from app.domain.rectification_flow import status_from_follow_ups as status_from_follow_ups
    from app.services.rectification.dto import EvidenceFile as EvidenceFile
    from app.services.rectification.dto import FollowUpView as FollowUpView
    from app.services.rectification.dto import OrgChoice as OrgChoice
    from app.services.rectification.dto import RectificationDetail as RectificationDetail
    from app.services.rectification.dto import RectificationInput as RectificationInput
    from app.services.rectification.dto import RectificationList as RectificationList
    from app.services.rectification.dto import RectificationRow as RectificationRow
    from app.services.rectification.follow_ups import acknowledge_in_session as acknowledge_in_session
    from app.services.rectification.follow_ups import append_follow_up as append_follow_up
    from app.services.rectification.follow_ups import issue_in_session as issue_in_session
    from app.services.rectification.follow_ups import note_in_session as note_in_session
    from app.services.rectification.items import check_item as check_item
    from app.services.rectification.items import create_item as create_item
    from app.services.rectification.items import delete_item as delete_item
    from app.services.rectification.items import list_items as list_items
    from app.services.rectification.items import load_item as load_item
    from app.services.rectification.items import org_choices as org_choices
    from app.services.rectification.items import update_item as update_item

_PUBLIC = {"status_from_follow_ups": "app.domain.rectification_flow",
           **{name: "app.services.rectification.dto" for name in (
               "EvidenceFile", "FollowUpView", "OrgChoice", "RectificationDetail", "RectificationInput",
               "RectificationList", "RectificationRow")},
           **{name: "app.services.rectification.follow_ups" for name in (
               "acknowledge_in_session", "append_follow_up", "issue_in_session", "note_in_session")},
           **{name: "app.services.rectification.items" for name in (
               "check_item", "create_item", "delete_item", "list_items", "load_item", "org_choices",
               "update_item")}}
__all__ = sorted(_PUBLIC)

__getattr__ = lazy_exports(__name__, _PUBLIC)
