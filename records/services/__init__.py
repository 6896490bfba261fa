from records.services.handovers import *  # noqa: F401,F403  (split into modules in the next commit)
from records.services.handovers import REASON_MAX_LENGTH, REMARKS_MAX_LENGTH, ReceivedItem, Submission  # noqa: F401
