"""三会一课 area: meetings, their quorum and votes, and the policy pack the rules read.  Other areas use it
only through the public names below and the public functions of ``policy``.

The names load on first use (PEP 562): every process imports each service area (``app.services``), and
the rule modules are not needed to paint the ledger.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.services.core.lazy import lazy_exports

if TYPE_CHECKING:
    from app.domain.votes import committee_quorum as committee_quorum
    from app.domain.votes import quorum as quorum
    from app.domain.votes import vote_outcome as vote_outcome
    from app.services.meetings.policy import load_policy as load_policy

_PUBLIC = {"committee_quorum": "app.domain.votes", "quorum": "app.domain.votes",
           "vote_outcome": "app.domain.votes", "load_policy": "app.services.meetings.policy"}
__all__ = sorted(_PUBLIC)

__getattr__ = lazy_exports(__name__, _PUBLIC)
