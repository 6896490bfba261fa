"""Lending's blocker (lending.disposability, registered with records.
disposability in LendingConfig.ready()): a record asked for or out on loan
is not weeded, transferred out or destroyed (R-DISP-1..3, R-LEND-1)."""
import pytest
from django.utils import translation

from lending import services
from records.disposability import blockers_for
from records.exceptions import RecordActionRefused
from records.models import Record, RecordStatus
from records.services import record_destroy
from tests.lending.support import approved_request


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_waiting_request_and_an_open_loan_block_a_strike_off(staff, archivist, filed_record):
    asked, lent, returned, free = (filed_record() for _ in range(4))
    services.request_create(requester=staff, record=asked, kind="borrow", days=2, purpose="市场分析")
    services.loan_check_out(request=approved_request(staff, lent), by=archivist)
    loan = services.loan_check_out(request=approved_request(staff, returned), by=archivist)
    services.loan_return(loan=loan, by=archivist, pages_returned=returned.pages, copies_returned=returned.copies)

    found = blockers_for([asked.pk, lent.pk, returned.pk, free.pk])

    assert found == {asked.pk: ["open loan request"], lent.pk: ["on loan"]}
    with pytest.raises(RecordActionRefused, match=f"{asked.archive_number} cannot be .*: open loan request"):
        record_destroy(record=asked, reason="保管期满", by=archivist)
    assert Record.objects.get(pk=asked.pk).status == RecordStatus.FILED
    assert record_destroy(record=returned, reason="保管期满", by=archivist).status == RecordStatus.DESTROYED
