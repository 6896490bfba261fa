"""Holds with an end date and holds on many records at once (a class and
year, the records of a client or a contract: records.services.holds.
holds_place), placed by the department head or leadership (issue 12)."""
import datetime

import pytest
from django.utils import timezone, translation

from core.history import reason_label
from records.exceptions import RecordActionRefused
from records.models import Hold, RecordStatus
from records.selectors import active_holds, is_held
from records.services import hold_place, hold_release, holds_place, record_destroy, record_transfer_out, refuse_if_held

TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def records(filed_record):
    return [filed_record(title=f"经销商协议{index}") for index in range(4)]


def test_a_hold_freezes_until_its_end_date_then_no_longer(records, leadership):
    record = records[0]
    hold = hold_place(record=record, by=leadership, reason="合同纠纷", ends_on=TODAY(), scope="HT·2024")
    assert (hold.ends_on, hold.scope, hold.is_active) == (TODAY(), "HT·2024", True)
    assert is_held(record)

    Hold.objects.filter(pk=hold.pk).update(ends_on=TODAY() - datetime.timedelta(days=1))
    hold.refresh_from_db()

    assert not hold.is_active and not hold.is_released
    assert not is_held(record) and list(active_holds(record)) == []
    refuse_if_held(record)
    # A lapsed hold may still be released, to say so in its history.
    released = hold_release(hold=hold, by=leadership, reason="纠纷已了结")
    assert released.is_released


def test_a_hold_cannot_end_in_the_past(records, department_head):
    with pytest.raises(RecordActionRefused, match="cannot end in the past") as refused:
        hold_place(
            record=records[0], by=department_head, reason="合同纠纷", ends_on=TODAY() - datetime.timedelta(days=1)
        )
    assert refused.value.field == "ends_on"
    assert not Hold.objects.exists()


def test_a_destroyed_record_cannot_be_frozen(records, archivist, department_head):
    record_destroy(record=records[0], reason="保管期满", by=archivist)
    with pytest.raises(RecordActionRefused, match=f"{records[0].archive_number} is Destroyed: there is nothing left"):
        hold_place(record=records[0], by=department_head, reason="合同纠纷")
    assert not Hold.objects.exists()


def test_holds_place_freezes_each_record_with_history(records, leadership):
    ends = TODAY() + datetime.timedelta(days=90)

    holds = holds_place(records=records, by=leadership, reason="  客户诉讼  ", ends_on=ends, scope="客户：华东建材")

    assert len(holds) == 4 and all(hold.pk for hold in holds)
    assert sorted(hold.record_id for hold in holds) == sorted(record.pk for record in records)
    for hold in Hold.objects.all():
        assert (hold.reason, hold.ends_on, hold.scope, hold.placed_by) == ("客户诉讼", ends, "客户：华东建材", leadership)
        entry = hold.history.get()
        assert entry.history_user == leadership
        with translation.override("en"):
            assert str(reason_label(entry.history_change_reason)) == "Frozen: kept from weeding, write-off and destruction"
    assert all(is_held(record) for record in records)


def test_holds_place_takes_ids_and_skips_records_gone(records, archivist, department_head):
    record_destroy(record=records[0], reason="保管期满", by=archivist)
    record_transfer_out(record=records[1], receiving_body="集团档案馆", reason="移交", by=archivist)

    holds = holds_place(records=[record.pk for record in records] + [records[2].pk], by=department_head, reason="审计")

    assert sorted(hold.record_id for hold in holds) == [records[2].pk, records[3].pk]
    assert Hold.objects.count() == 2


@pytest.mark.parametrize(
    "who, kwargs, message",
    [
        ("staff", {}, "Only the archivist, the department head or leadership can freeze"),
        ("department_head", {"reason": " "}, "Reason for the hold"),
        ("department_head", {"ends_on": datetime.date(2000, 1, 1)}, "cannot end in the past"),
        ("department_head", {"scope": "范" * 201}, "Scope: at most 200 characters"),
        ("department_head", {"records": []}, "Choose at least one record"),
    ],
)
def test_holds_place_refusals_write_nothing(request, records, who, kwargs, message):
    arguments = {"records": records, "by": request.getfixturevalue(who), "reason": "审计", **kwargs}
    with pytest.raises(RecordActionRefused, match=message):
        holds_place(**arguments)
    assert not Hold.objects.exists() and not Hold.history.exists()
    assert all(record.status == RecordStatus.FILED for record in records)
