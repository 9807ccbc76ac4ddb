"""党组织 area: party organizations, the 社会组织 they cover, terms, committee, 党小组 and the roster.

Other areas use it only through the public names below (the meeting form: ``roster_on``; the compliance
engine and the 工作台: ``should_form_branch_orgs``).  The names load on first use (PEP 562): importing the
area (its package) costs nothing, and none of this is needed to paint the ledger.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.services.core.lazy import lazy_exports

if TYPE_CHECKING:
    from app.services.party.branch_check import should_form_branch_orgs as should_form_branch_orgs
    from app.services.party.common import is_community_party_org as is_community_party_org
    from app.services.party.detail import load_roster as load_roster
    from app.services.party.detail import party_org_detail as party_org_detail
    from app.services.party.listing import list_party_orgs as list_party_orgs
    from app.services.party.roster import roster_on as roster_on

_PUBLIC = {"should_form_branch_orgs": "app.services.party.branch_check",
           "is_community_party_org": "app.services.party.common",
           "load_roster": "app.services.party.detail", "party_org_detail": "app.services.party.detail",
           "list_party_orgs": "app.services.party.listing", "roster_on": "app.services.party.roster"}
__all__ = sorted(_PUBLIC)

__getattr__ = lazy_exports(__name__, _PUBLIC)
