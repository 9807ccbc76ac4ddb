"""Pure rules of the party-building domain: no database, no Qt, no I/O, no clock reads (today is a
parameter).  USCC checks, enums, periods of civil dates, the policy pack (``policy``), votes and quorum
(``votes``), who has a vote (``voting_rights``), 民主评议 grades (``reviews``), branch setup and terms
(``branch_rules``); document numbers join them with their feature (DESIGN §1, §2.1)."""
