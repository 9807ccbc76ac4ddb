"""Pure rules of the party-building domain: no database, no Qt, no I/O, no clock reads (today is a
parameter).  USCC checks, enums of the domain; vote/quorum rules and document numbers join them with
their features (DESIGN §1, §2.1)."""
