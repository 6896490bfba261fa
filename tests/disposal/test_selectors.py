"""What is due at a year end and what may be listed (R-DISP-2), what waits
for whom, and the set-based reads behind them: the same number of queries
for 10 records as for several hundred."""
import datetime
import itertools

import pytest
from django.utils import translation

from accounts.roles import Role
from disposal import selectors, services
from disposal.models import ItemAction, ListState
from records.models import Record, RecordStatus
from records.services import hold_place, record_check_out
from tests.conftest import make_user
from tests.disposal.support import (
    YEAR,
    approved,
    confirmed,
    draft,
    due_record,
    head_approved,
    submitted,
    witnesses,
)
from tests.factories import category, marketing_department
from tests.query_counts import count_queries

_numbers = itertools.count(1)


def bulk_filed(count, **fields):
    """`count` filed records of 2000 kept ten years, written at once (no
    history: not under test here)."""
    values = {
        "title": "批量档案", "category": category(), "year": 2000, "retention_years": 10,
        "retention_expires_on": datetime.date(2010, 12, 31), "status": RecordStatus.FILED,
        "department": marketing_department(), **fields,
    }
    return Record.objects.bulk_create(
        [Record(archive_number=f"MX-BULK-{next(_numbers):06d}", **values) for _ in range(count)]
    )


def test_r_disp_2_due_records_are_those_whose_retention_ends_by_the_year_end(filed_record):
    due = due_record(filed_record)
    ends_that_year = filed_record(year=YEAR - 10, retention_years=10)
    later = filed_record(year=YEAR - 9, retention_years=10)
    permanent = filed_record(year=2000, retention_years=None)
    assert set(selectors.due_records(YEAR)) == {due, ends_that_year}
    assert later not in selectors.due_records(YEAR) and permanent not in selectors.due_records(YEAR)


def test_r_disp_2_undisposable_records_are_shown_apart_with_the_reason(archivist, department_head, filed_record):
    free, lent, held, listed = (due_record(filed_record) for _ in range(4))
    record_check_out(record=lent, reason="checked_out", by=archivist)
    hold_place(record=held, by=department_head, reason="合同纠纷")
    other = draft(archivist, [listed])
    with translation.override("en"):
        listable, problems = selectors.appraisal_candidates(YEAR)
    assert listable == [free.pk]
    assert problems[lent.pk] == ["on loan"]
    assert problems[held.pk] == ["frozen: 合同纠纷"]
    assert problems[listed.pk] == [f"already on list {other.number}"]


def test_listing_runs_the_same_queries_for_10_and_400_records(archivist):
    """Only the inserts come in batches (SQLite binds at most 999 values a
    statement: some 50 items and their history rows each); nothing is read
    or written per record."""
    counts = []
    for size in (10, 400):
        records = bulk_filed(size)
        disposal_list = draft(archivist, [])
        with count_queries() as counted:
            services.list_add_items(disposal_list=disposal_list, records=records, by=archivist,
                                    action=ItemAction.DESTROY)
        assert disposal_list.items.count() == size
        with count_queries() as checked:
            services.list_submit(disposal_list=disposal_list, by=archivist)
        counts.append((counted.total, checked.total))
    (add_small, submit_small), (add_large, submit_large) = counts
    assert submit_small == submit_large
    assert add_large - add_small < 400 / 20, counts


def test_candidates_run_the_same_queries_for_10_and_400_records(archivist):
    counts = []
    for size in (10, 400):
        Record.objects.filter(archive_number__startswith="MX-BULK").update(status=RecordStatus.VOID)
        bulk_filed(size)
        with count_queries() as counted:
            listable, _problems = selectors.appraisal_candidates(YEAR)
        assert len(listable) == size
        counts.append(counted.total)
    assert counts[0] == counts[1]


def test_r_disp_2_the_inbox_shows_what_waits_for_each_approver(
    archivist, department_head, leadership, filed_record
):
    waiting_for_head = submitted(archivist, [due_record(filed_record)])
    waiting_for_leader = head_approved(archivist, department_head, [due_record(filed_record)])
    head_approved(archivist, department_head, [due_record(filed_record)],  # transfers: no leadership step
                  action=ItemAction.TRANSFER, receiving_body="集团档案馆")
    other_head = make_user(Role.DEPARTMENT_HEAD, "other_head")
    assert list(selectors.lists_waiting_for(department_head)) == [waiting_for_head]
    assert list(selectors.lists_waiting_for(other_head)) == [waiting_for_head]
    assert list(selectors.lists_waiting_for(leadership)) == [waiting_for_leader]
    assert list(selectors.lists_waiting_for(archivist)) == []


def test_r_disp_3_witnesses_see_what_they_are_asked_to_confirm(
    archivist, department_head, leadership, filed_record
):
    people = witnesses()
    disposal_list = approved(archivist, department_head, leadership, [due_record(filed_record)])
    destruction = confirmed(disposal_list, archivist, people[:1] + witnesses("witness_c"))
    assert list(selectors.confirmations_waiting_for(people[0])) == []
    services.destruction_record(disposal_list=disposal_list, by=archivist, date=destruction.date,
                                place="另一处", method=destruction.method, executor=archivist,
                                witnesses=[people[0], people[1]])
    assert [w.user for w in selectors.confirmations_waiting_for(people[1])] == [people[1]]


def test_r_disp_3_a_destroyed_record_names_its_list(archivist, department_head, leadership, filed_record,
                                                    private_storage):
    record = due_record(filed_record)
    disposal_list = approved(archivist, department_head, leadership, [record])
    destruction = confirmed(disposal_list, archivist, witnesses())
    assert selectors.destruction_of(record) == (None, None)
    services.list_execute(disposal_list=disposal_list, by=archivist)
    assert selectors.destruction_of(record) == (destruction, disposal_list)
    assert disposal_list.state == ListState.LEADERSHIP_APPROVED  # the caller's copy is not changed
