"""What lending tells records about a record about to be struck off
(records.disposability.register_blocker, in LendingConfig.ready()): a
record with a request waiting for approval or for the archivist, or out on
a loan not yet returned, is not weeded, transferred out or destroyed
(R-DISP-1..3 after R-LEND-1). Two queries for any number of records."""
from django.utils.translation import pgettext

from lending.models import Loan, LoanRequest, RequestState

# Requests still to be decided or handed out; one handed out is a loan.
WAITING_STATES = (RequestState.PENDING, RequestState.APPROVED)


def lending_blockers(record_ids):
    """{record_id: [reason, ...]} for the records among `record_ids` with
    an open request or an open loan."""
    found = {}
    waiting = LoanRequest.objects.filter(record_id__in=record_ids, state__in=WAITING_STATES)
    for record_id in waiting.order_by("record_id").values_list("record_id", flat=True).distinct():
        found.setdefault(record_id, []).append(
            pgettext("why a record cannot be disposed of", "open loan request")
        )
    out = Loan.objects.filter(record_id__in=record_ids, returned_at__isnull=True)
    for record_id in out.order_by("record_id").values_list("record_id", flat=True).distinct():
        found.setdefault(record_id, []).append(pgettext("why a record cannot be disposed of", "on loan"))
    return found
