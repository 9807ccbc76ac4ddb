"""三会一课 area: meetings, their quorum and votes, and the policy pack the rules read.  Other areas use it
only through the public names below and the public functions of ``policy``."""

from app.domain.votes import committee_quorum as committee_quorum
from app.domain.votes import quorum as quorum
from app.domain.votes import vote_outcome as vote_outcome
from app.services.meetings.policy import load_policy as load_policy
