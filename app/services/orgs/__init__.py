"""社会组织 area: the 组织台账 — organizations, their derived facts (coverage, credit listing), search
and ledger queries.  Other areas use it only through the public functions of ``organizations``,
``ledger`` and ``facts``."""

# Importing the area registers its keepers of derived data (app.services.core.derived): coverage and
# credit listing (facts), the search index and name keys (search).  app.services imports every area, so
# any process that writes through the services has every keeper registered.
from app.services.orgs import facts as facts
from app.services.orgs import search as search
