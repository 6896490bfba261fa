"""What keeps a record from being struck off (records.disposability,
R-DISP-1..3): records' own reasons, those apps register, and the set-based
read the year-end appraisal makes over many records at once."""
import datetime

import pytest
from django.utils import timezone, translation

from records.disposability import blockers_for, refuse_if_blocked, register_blocker, unregister_blocker
from records.exceptions import RecordActionRefused
from records.models import Hold, Record, RecordStatus
from records.services import hold_place, record_check_out, record_destroy, record_mark_missing
from tests.query_counts import count_queries
from tests.records import volume


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def disputed():
    """A blocker as an app registers it: one query for all the ids."""
    marked = set()

    def blocker(record_ids):
        chosen = Record.objects.filter(pk__in=record_ids).filter(pk__in=marked)
        return {pk: ["in a dispute"] for pk in chosen.values_list("pk", flat=True)}

    blocker.marked = marked
    register_blocker(blocker)
    yield blocker
    unregister_blocker(blocker)


def test_records_own_reasons(filed_record, archivist, department_head):
    free = filed_record()
    held = filed_record()
    lent = filed_record()
    lost = filed_record()
    permanent = filed_record(retention_years=None)
    hold_place(record=held, by=department_head, reason="审计检查")
    record_check_out(record=lent, reason="借出", by=archivist)
    record_mark_missing(record=lost, reason="盘点未见", by=archivist)

    found = blockers_for([free.pk, held.pk, lent.pk, lost.pk, permanent.pk])

    assert found == {
        held.pk: ["frozen: 审计检查"],
        lent.pk: ["on loan"],
        lost.pk: ["missing"],
        permanent.pk: ["permanent retention"],
    }


def test_a_hold_past_its_end_no_longer_blocks(filed_record, department_head):
    record = filed_record()
    hold = hold_place(record=record, by=department_head, reason="审计检查", ends_on=timezone.localdate())
    assert blockers_for([record.pk]) == {record.pk: ["frozen: 审计检查"]}
    Hold.objects.filter(pk=hold.pk).update(ends_on=timezone.localdate() - datetime.timedelta(days=1))
    assert blockers_for([record.pk]) == {}
    refuse_if_blocked(Record.objects.get(pk=record.pk))


def test_registered_blockers_add_their_reasons_once_each(filed_record, archivist, disputed):
    record = filed_record()
    other = filed_record()
    disputed.marked.add(record.pk)
    record_check_out(record=record, reason="借出", by=archivist)

    def lending_says_on_loan(record_ids):
        return {pk: ["on loan"] for pk in record_ids if pk == record.pk}

    register_blocker(lending_says_on_loan)
    try:
        found = blockers_for([record.pk, other.pk])
    finally:
        unregister_blocker(lending_says_on_loan)
    assert found == {record.pk: ["on loan", "in a dispute"]}


def test_refuse_if_blocked_names_the_number_and_every_reason(filed_record, archivist, disputed):
    record = filed_record()
    disputed.marked.add(record.pk)
    record_check_out(record=record, reason="借出", by=archivist)
    record = Record.objects.get(pk=record.pk)
    with pytest.raises(RecordActionRefused) as refused:
        refuse_if_blocked(record)
    assert refused.value.message == (
        f"{record.archive_number} cannot be weeded, transferred out or destroyed: on loan; in a dispute."
    )


def test_a_registered_blocker_stops_a_destruction(filed_record, archivist, disputed):
    record = filed_record()
    disputed.marked.add(record.pk)
    with pytest.raises(RecordActionRefused, match="in a dispute"):
        record_destroy(record=record, reason="保管期满", by=archivist)
    assert Record.objects.get(pk=record.pk).status == RecordStatus.FILED


def test_blockers_for_reads_many_records_in_the_same_queries(archivist, department_head, disputed):
    """Set-based: as many queries for 1,000 records as for 10 (a chunk of
    ids runs records' two queries and one per registered blocker)."""

    def grow(count):
        volume.records(count, index=False)
        rows = list(Record.objects.order_by("-pk")[:count])
        Record.objects.filter(pk__in=[record.pk for record in rows]).update(retention_years=10)
        for position, record in enumerate(rows):
            if position % 4 == 0:
                disputed.marked.add(record.pk)
        Hold.objects.bulk_create(
            Hold(record=record, reason=f"冻结{record.pk}", placed_by=department_head) for record in rows[1::4]
        )
        Record.objects.filter(pk__in=[record.pk for record in rows[2::4]]).update(status=RecordStatus.ON_LOAN)
        return [record.pk for record in rows]

    small_ids = grow(10)
    with count_queries() as small:
        small_found = blockers_for(small_ids)
    large_ids = small_ids + grow(990)
    with count_queries() as large:
        large_found = blockers_for(large_ids)

    assert small.total == large.total
    # Every fourth record of each batch is free: 2 of 10, 247 of 990.
    assert len(small_found) == 10 - 2 and len(large_found) == 1000 - 2 - 247
    assert set(large_found) < set(large_ids)
