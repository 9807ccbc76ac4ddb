"""社会组织 area: the 组织台账 — organizations, their derived facts (coverage, credit listing), search
and ledger queries.  Other areas use it only through the public functions of ``organizations``,
``ledger`` and ``facts``."""
