"""One open loan per physical record, even when hand-outs race (R-LEND-1):
the service locks the record row and checks, the database constraint
one_open_loan_per_record is the last line of defence. Runs on SQLite and,
with DATABASE_URL set (scripts/pg_cluster.sh), on PostgreSQL."""

import pytest
from django.db.models import Count

from accounts.roles import Role
from lending import services
from lending.exceptions import LendingRefused
from lending.models import Loan, LoanRequest, RequestState
from records.models import Record, RecordStatus
from tests.concurrency import at_once
from tests.conftest import make_user
from tests.lending.support import approved_request

THREADS = 8
RECORDS = 3


@pytest.mark.django_db(transaction=True)
def test_r_lend_1_racing_hand_outs_lend_each_record_once(archivist, filed_record):
    """Eight threads, each with its own database connection and its own
    approved request per record, hand out the same records at once."""
    borrowers = [make_user(Role.STAFF, f"borrower{i}") for i in range(THREADS)]
    records = [filed_record() for _ in range(RECORDS)]
    requests = {
        (i, record.pk): approved_request(borrower, record, days=1)
        for i, borrower in enumerate(borrowers)
        for record in records
    }
    assert {request.state for request in requests.values()} == {RequestState.APPROVED}

    def hands_out(i):
        def worker(outcomes):
            for record in records:
                request = requests[(i, record.pk)]
                outcomes.attempt(lambda: services.loan_check_out(request=request, by=archivist).pk,
                                 refusal=LendingRefused)
        return worker

    outcomes = at_once([hands_out(i) for i in range(THREADS)])
    loans, refusals = outcomes.done, outcomes.refusals
    assert outcomes.errors == []
    assert len(loans) == RECORDS
    assert len(refusals) == RECORDS * (THREADS - 1)
    # Refused by the checks under the row lock (which name the borrower),
    # not merely by the constraint.
    assert all("is already out" in message and "has it until" in message for message in refusals), refusals
    per_record = dict(Loan.objects.values_list("record").annotate(n=Count("pk")))
    assert per_record == {record.pk: 1 for record in records}
    assert set(Record.objects.filter(pk__in=[r.pk for r in records]).values_list("status", flat=True)) == {
        RecordStatus.ON_LOAN
    }
    # The requests that lost the race are still approved, waiting for the record.
    states = LoanRequest.objects.values("state").annotate(n=Count("pk"))
    assert {row["state"]: row["n"] for row in states} == {
        RequestState.OUT: RECORDS,
        RequestState.APPROVED: RECORDS * (THREADS - 1),
    }
