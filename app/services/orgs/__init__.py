"""社会组织 area: the 组织台账 — organizations, their derived facts (coverage, credit listing), search
and ledger queries.  Other areas use it only through the public functions of ``organizations``,
``ledger`` and ``facts``."""

# Its keepers of derived data (app.services.core.derived) — coverage and credit listing (facts), the search
# index and name keys (search) — are registered by app.services's keeper loader before any write path runs.
