"""走访 area: the month's visit plan, visits (planned or done) with their versioned checklists, findings,
photos, and a finding turned into a 整改事项 (DESIGN §2.0, §2.1, issue 8).  Other areas use it only through
the public names below.

The names load on first use (PEP 562): importing the area costs nothing at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.services.core.lazy import lazy_exports

if TYPE_CHECKING:
    from app.services.visits.checklists import all_checklists as all_checklists
    from app.services.visits.checklists import checklist_of as checklist_of
    from app.services.visits.checklists import current_checklist as current_checklist
    from app.services.visits.findings import AlreadyRaised as AlreadyRaised
    from app.services.visits.findings import finding_to_rectification as finding_to_rectification
    from app.services.visits.plan import month_plan as month_plan
    from app.services.visits.plan import my_orgs as my_orgs
    from app.services.visits.plan import plan_state as plan_state
    from app.services.visits.records import checklist_items as checklist_items
    from app.services.visits.records import delete_visit as delete_visit
    from app.services.visits.records import list_visits as list_visits
    from app.services.visits.records import load_visit as load_visit
    from app.services.visits.records import save_visit as save_visit

_PUBLIC = {
    **{name: "app.services.visits.checklists" for name in ("all_checklists", "checklist_of", "current_checklist")},
    **{name: "app.services.visits.findings" for name in ("AlreadyRaised", "finding_to_rectification")},
    **{name: "app.services.visits.plan" for name in ("month_plan", "my_orgs", "plan_state")},
    **{name: "app.services.visits.records" for name in (
        "checklist_items", "delete_visit", "list_visits", "load_visit", "save_visit")},
}
__all__ = sorted(_PUBLIC)

__getattr__ = lazy_exports(__name__, _PUBLIC)
