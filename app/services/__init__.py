"""Domain logic: no Qt; each call owns its transaction and returns frozen DTOs.

The areas register their keepers of derived data (``app.services.core.derived``) when the modules below
are imported.  They are not imported here (a process that only reads — the start-up's first paint — needs
none of them, nor the SQLAlchemy they stand on); this package, which every import of an area or of core
passes through, hands core the loader that imports them, and core runs it before any write path tells a
keeper anything.  A test checks that every module registering a keeper is named here.
"""

from __future__ import annotations

import importlib

from app.services.core import derived

KEEPER_MODULES = (
    "app.services.orgs.facts",  # coverage and credit listing
    "app.services.orgs.search",  # the search index and name keys
    "app.services.compliance.keepers",  # the compliance findings
)


def _import_keepers() -> None:
    for name in KEEPER_MODULES:
        importlib.import_module(name)


derived.set_keeper_loader(_import_keepers)
