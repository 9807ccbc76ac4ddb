"""Compliance area: the policy pack evaluated per 党组织 and period, kept as derived data.

Other areas, the CLI and the UI use it only through the public names below (``engine``: refresh and
freshness; ``waivers``; ``read``: findings, the 工作台's grid and a cell's detail).  The names load on
first use (PEP 562).  Its keepers of derived data (``keepers``) are registered by ``app.services``'s
keeper loader before the first write, not by importing the area (the first paint reads only).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.services.core.lazy import lazy_exports

if TYPE_CHECKING:
    from app.services.compliance.engine import ensure_fresh as ensure_fresh
    from app.services.compliance.engine import refresh_all as refresh_all
    from app.services.compliance.read import cell_detail as cell_detail
    from app.services.compliance.read import findings as findings
    from app.services.compliance.read import grid_months as grid_months
    from app.services.compliance.read import month_grid as month_grid
    from app.services.compliance.read import my_party_org_ids as my_party_org_ids
    from app.services.compliance.waivers import add_waiver as add_waiver
    from app.services.compliance.waivers import list_waivers as list_waivers
    from app.services.compliance.waivers import remove_waiver as remove_waiver

_PUBLIC = {"ensure_fresh": "app.services.compliance.engine", "refresh_all": "app.services.compliance.engine",
           **{name: "app.services.compliance.read" for name in (
               "cell_detail", "findings", "grid_months", "month_grid", "my_party_org_ids")},
           **{name: "app.services.compliance.waivers" for name in ("add_waiver", "list_waivers", "remove_waiver")}}
__all__ = sorted(_PUBLIC)

__getattr__ = lazy_exports(__name__, _PUBLIC)
