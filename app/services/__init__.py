"""Domain logic: no Qt; each call owns its transaction and returns frozen DTOs.

Every area is imported here, so that its keepers of derived data (``app.services.core.derived``) are
registered before any write path runs, whichever module a process imports first.
"""

from app.services import compliance as compliance
from app.services import documents as documents
from app.services import ledger_io as ledger_io
from app.services import meetings as meetings
from app.services import orgs as orgs
from app.services import party as party
