"""社会组织 area: the 组织台账 — organizations, their derived facts (coverage, credit listing), search
and ledger queries.  Other areas use it only through the public functions of ``organizations``,
``ledger`` and ``facts``."""

# Importing the area registers its keepers of derived data (app.services.core.derived): every write path
# that imports any of it keeps coverage and credit listing in step.
from app.services.orgs import facts as facts
