"""Destruction (R-DISP-3): recorded with two witnesses who confirm, then
executed all or nothing. The refusals (a witness who is the executor, the
same person twice, an inactive witness, a date to come, a record lent or
held between approval and execution, an item failing half-way) leave
everything as it was. These tests run on SQLite and, with DATABASE_URL set,
on PostgreSQL."""
import datetime
import threading
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone, translation

from accounts.models import Notice
from disposal import services
from disposal.exceptions import DisposalRefused
from disposal.models import DestructionMethod, ItemAction, ListState, Witness
from records.exceptions import RecordActionRefused
from records.services import disposition
from records.models import Attachment, Hold, RecordStatus
from records.services import hold_place, record_check_out
from tests.disposal.support import (
    approved,
    confirmed,
    draft,
    due_record,
    fresh,
    head_approved,
    record_destruction,
    state,
    with_file,
    witnesses,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def people():
    return witnesses("witness_a", "witness_b")


@pytest.fixture
def ready(archivist, department_head, leadership, filed_record, private_storage):
    """An approved list of three due records, each with a stored file."""
    records = [due_record(filed_record) for _ in range(3)]
    for record in records:
        with_file(record, archivist)
    return approved(archivist, department_head, leadership, records)


def refused(match, call, **kwargs):
    before = state()
    with pytest.raises(DisposalRefused, match=match) as raised:
        call(**kwargs)
    assert state() == before
    return raised.value


# --- recording the destruction and its witnesses ------------------------------


def test_r_disp_3_witnesses_are_asked_to_confirm(ready, archivist, people):
    destruction = record_destruction(ready, archivist, people, method=DestructionMethod.BOTH)
    assert (destruction.method, destruction.executor, destruction.recorded_by) == (
        DestructionMethod.BOTH, archivist, archivist
    )
    assert sorted(w.user.username for w in destruction.witnesses.all()) == ["witness_a", "witness_b"]
    for person in people:
        assert Notice.objects.filter(user=person, text__contains="please confirm").count() == 1


@pytest.mark.parametrize(
    "case, match",
    [
        ("executor witnesses", "cannot also witness"),
        ("same person twice", "two different people"),
        ("one witness", "Name two witnesses"),
        ("three witnesses", "Name two witnesses"),
        ("inactive witness", "inactive"),
    ],
)
def test_r_disp_3_two_distinct_active_witnesses_neither_the_executor(ready, archivist, people, case, match):
    first, second = people
    named = {
        "executor witnesses": [archivist, second],
        "same person twice": [first, first],
        "one witness": [first],
        "three witnesses": [first, second, witnesses("witness_c")[0]],
        "inactive witness": [first, second],
    }[case]
    if case == "inactive witness":
        second.is_active = False
        second.save()
    refused(match, record_destruction, disposal_list=ready, archivist=archivist, people=named)


@pytest.mark.parametrize(
    "facts, match",
    [
        ({"date": timezone.localdate() + datetime.timedelta(days=1)}, "after today"),
        ({"date": datetime.date(2000, 1, 1)}, "before the approval"),
        ({"place": "  "}, "Place"),
        ({"method": "burning"}, "Method"),
    ],
)
def test_r_disp_3_the_facts_of_the_destruction_are_checked(ready, archivist, people, facts, match):
    refused(match, record_destruction, disposal_list=ready, archivist=archivist, people=people, **facts)


def test_r_disp_3_an_inactive_executor_is_refused(ready, archivist, people):
    executor = witnesses("executor")[0]
    executor.is_active = False
    executor.save()
    refused("Executor", record_destruction, disposal_list=ready, archivist=archivist, people=people,
            executor=executor)


def test_r_disp_3_only_an_approved_list_is_recorded(archivist, department_head, filed_record, people):
    disposal_list = head_approved(archivist, department_head, [due_record(filed_record)])
    refused("not approved for execution", record_destruction, disposal_list=disposal_list, archivist=archivist,
            people=people)


def test_r_disp_3_only_the_named_witness_confirms_once(ready, archivist, people, staff):
    destruction = record_destruction(ready, archivist, people)
    witness = destruction.witnesses.get(user=people[0])
    refused("Only the person named", services.witness_confirm, witness=witness, by=staff)
    services.witness_confirm(witness=witness, by=people[0])
    assert fresh(witness).confirmed_at is not None
    refused("already confirmed", services.witness_confirm, witness=witness, by=people[0])


def test_r_disp_3_recording_anew_replaces_a_witness_and_withdraws_confirmations(ready, archivist, people):
    first, second = people
    destruction = confirmed(ready, archivist, people)
    third = witnesses("witness_c")[0]
    # The same facts, another second witness: the first one's confirmation stands.
    record_destruction(ready, archivist, [first, third])
    current = {w.user.username: w for w in destruction.witnesses.filter(replaced_at__isnull=True)}
    assert set(current) == {"witness_a", "witness_c"}
    assert current["witness_a"].confirmed_at is not None and current["witness_c"].confirmed_at is None
    replaced = destruction.witnesses.get(user=second)
    assert replaced.replaced_at is not None and replaced.confirmed_at is not None  # the row stays as it was
    # Another place: what they confirmed is no longer what is recorded.
    record_destruction(ready, archivist, [first, third], place="机房")
    assert not destruction.witnesses.filter(replaced_at__isnull=True, confirmed_at__isnull=False).exists()
    assert Notice.objects.filter(user=first, text__contains="please confirm").count() == 2


def test_r_disp_3_the_recorder_is_told_when_both_confirmed(ready, archivist, people):
    confirmed(ready, archivist, people)
    assert Notice.objects.filter(user=archivist, text__contains="Both witnesses confirmed").count() == 1


# --- execution ------------------------------------------------------------------


def test_r_disp_3_execution_destroys_every_record_and_leaves_tombstones(
    ready, archivist, people, django_capture_on_commit_callbacks
):
    confirmed(ready, archivist, people)
    attachments = list(Attachment.objects.filter(record__disposal_items__disposal_list=ready))
    with django_capture_on_commit_callbacks(execute=True):
        executed = services.list_execute(disposal_list=ready, by=archivist)
    assert (executed.state, executed.executed_by) == (ListState.EXECUTED, archivist)
    records = [item.record for item in executed.items.select_related("record")]
    assert {record.status for record in records} == {RecordStatus.DESTROYED}
    assert all(item.carried_out_at for item in executed.items.all())
    for attachment in attachments:
        tombstone = fresh(attachment)
        assert tombstone.destroyed_at is not None and tombstone.extracted_text == ""
        assert (tombstone.original_name, tombstone.sha256, tombstone.size) == (
            attachment.original_name, attachment.sha256, attachment.size
        )
        assert not attachment.file.storage.exists(attachment.file.name)  # bytes gone after commit


def test_r_disp_3_a_list_is_executed_once(ready, archivist, people):
    confirmed(ready, archivist, people)
    executed = services.list_execute(disposal_list=ready, by=archivist)
    refused("not approved for execution", services.list_execute, disposal_list=executed, by=archivist)


def test_r_disp_3_no_execution_before_both_witnesses_confirm(ready, archivist, people):
    refused("Record the destruction", services.list_execute, disposal_list=ready, by=archivist)
    destruction = record_destruction(ready, archivist, people)
    services.witness_confirm(witness=destruction.witnesses.get(user=people[0]), by=people[0])
    refused("witness_b|用户", services.list_execute, disposal_list=ready, by=archivist)


@pytest.mark.parametrize("change", ["checked out", "held"])
def test_r_disp_3_a_record_lent_or_held_after_approval_stops_the_whole_list(
    ready, archivist, department_head, people, change
):
    confirmed(ready, archivist, people)
    records = [item.record for item in ready.items.select_related("record").order_by("pk")]
    if change == "checked out":
        record_check_out(record=records[1], reason="checked_out", by=archivist)
    else:
        hold_place(record=records[1], by=department_head, reason="执行期间发生纠纷")
    refusal = refused(records[1].archive_number, services.list_execute, disposal_list=ready, by=archivist)
    assert records[0].archive_number not in refusal.message
    assert "Strike them off" in refusal.message


def test_r_disp_3_the_archivist_strikes_the_blocked_item_and_executes_the_rest(
    ready, archivist, people
):
    confirmed(ready, archivist, people)
    items = list(ready.items.select_related("record").order_by("pk"))
    record_check_out(record=items[1].record, reason="checked_out", by=archivist)
    services.item_strike(item=items[1], by=archivist, reason="借出未还")
    # Striking a destroy item changes what is destroyed: witnesses confirm again.
    assert not Witness.objects.filter(confirmed_at__isnull=False, replaced_at__isnull=True).exists()
    for witness in Witness.objects.filter(replaced_at__isnull=True):
        services.witness_confirm(witness=witness, by=witness.user)
    services.list_execute(disposal_list=fresh(ready), by=archivist)
    statuses = [fresh(item.record).status for item in items]
    assert statuses == [RecordStatus.DESTROYED, RecordStatus.ON_LOAN, RecordStatus.DESTROYED]


def test_r_disp_3_execution_is_all_or_nothing_when_an_item_fails_half_way(
    ready, archivist, people, django_capture_on_commit_callbacks
):
    """The first record is destroyed, then the second fails (a crash, here
    a refusal the list's checks did not foresee): no record, file, item or
    list changed, and no file was removed."""
    confirmed(ready, archivist, people)
    real_destroy = disposition.records_destroy
    destroyed = []

    def failing_destroy(*, records, reason, by, **kwargs):
        first = records[0]
        destroyed.extend(real_destroy(records=[first], reason=reason[first.pk], by=by, **kwargs))
        raise RecordActionRefused("simulated failure half-way")

    attachments = list(Attachment.objects.filter(record__disposal_items__disposal_list=ready))
    before = state()
    with mock.patch("disposal.services.execution.records_destroy", failing_destroy):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(DisposalRefused, match="simulated failure half-way"):
                services.list_execute(disposal_list=ready, by=archivist)
    assert [record.status for record in destroyed] == [RecordStatus.DESTROYED]  # it had gone through
    assert callbacks == []
    assert state() == before
    assert all(attachment.file.storage.exists(attachment.file.name) for attachment in attachments)


def test_r_disp_3_a_transfer_failing_after_the_destructions_undoes_them(
    archivist, department_head, leadership, filed_record, people, private_storage, django_capture_on_commit_callbacks
):
    destroyed = [due_record(filed_record) for _ in range(2)]
    for record in destroyed:
        with_file(record, archivist)
    transferred = due_record(filed_record)
    disposal_list = draft(archivist, destroyed)
    services.list_add_items(disposal_list=disposal_list, records=[transferred], by=archivist,
                            action=ItemAction.TRANSFER, receiving_body="集团档案馆")
    disposal_list = services.list_submit(disposal_list=disposal_list, by=archivist)
    disposal_list = services.list_approve(disposal_list=disposal_list, by=department_head)
    disposal_list = services.list_approve(disposal_list=disposal_list, by=leadership)
    confirmed(disposal_list, archivist, people)
    before = state()
    with mock.patch("disposal.services.execution.record_transfer_out",
                    side_effect=RecordActionRefused("transfer failed")):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(DisposalRefused, match="transfer failed"):
                services.list_execute(disposal_list=disposal_list, by=archivist)
    assert callbacks == []
    assert state() == before
    assert {fresh(record).status for record in destroyed} == {RecordStatus.FILED}


def test_r_disp_2_a_record_still_within_its_retention_is_not_destroyed(
    archivist, department_head, leadership, filed_record, people
):
    """Listed at the year end of this year, a record kept until 31 December
    is destroyed only from the day after."""
    this_year = timezone.localdate().year
    record = filed_record(year=this_year - 10, retention_years=10)
    disposal_list = approved(archivist, department_head, leadership, [record], year=this_year)
    confirmed(disposal_list, archivist, people)
    refused(f"{record.archive_number}: kept until {this_year}-12-31", services.list_execute,
            disposal_list=disposal_list, by=archivist)


def test_r_disp_3_transfers_are_executed_without_witnesses(archivist, department_head, filed_record):
    record = due_record(filed_record)
    disposal_list = head_approved(archivist, department_head, [record], action=ItemAction.TRANSFER,
                                  receiving_body="集团档案馆")
    refused("destroys nothing", record_destruction, disposal_list=disposal_list, archivist=archivist,
            people=witnesses())
    executed = services.list_execute(disposal_list=disposal_list, by=archivist)
    record = fresh(record)
    assert (executed.state, record.status, record.transferred_to) == (
        ListState.EXECUTED, RecordStatus.TRANSFERRED, "集团档案馆"
    )


def test_only_the_archivist_executes(ready, archivist, department_head, people):
    confirmed(ready, archivist, people)
    refused("Only the archivist", services.list_execute, disposal_list=ready, by=department_head)


def test_r_disp_3_returning_an_approved_list_withdraws_confirmations(ready, archivist, people):
    confirmed(ready, archivist, people)
    returned = services.list_return(disposal_list=ready, by=archivist, reason="执行前发现问题")
    assert (returned.state, returned.head_approved_by, returned.leadership_approved_by) == (
        ListState.RETURNED, None, None
    )
    assert not Witness.objects.filter(confirmed_at__isnull=False).exists()


@pytest.mark.django_db(transaction=True)
def test_r_disp_3_a_hold_placed_during_execution_waits_and_finds_the_record_destroyed(
    ready, archivist, department_head, people
):
    """The department head freezes the third record while the execution is
    half-way (its records destroyed, the list not yet saved): it holds every
    record's lock, so the hold waits until it commits, then finds the
    record destroyed and is refused. The list is never half executed and
    no record is destroyed under an active hold."""
    confirmed(ready, archivist, people)
    records = [item.record for item in ready.items.select_related("record").order_by("pk")]
    halfway, outcome, errors = threading.Event(), {}, []
    real_destroy = disposition.records_destroy

    def pausing_destroy(**kwargs):
        result = real_destroy(**kwargs)
        halfway.set()
        threading.Event().wait(1.0)  # the head tries meanwhile
        return result

    def execute():
        try:
            with mock.patch("disposal.services.execution.records_destroy", pausing_destroy):
                services.list_execute(disposal_list=ready, by=archivist)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    def place_hold():
        translation.activate("en")
        try:
            assert halfway.wait(30)
            hold_place(record=records[2], by=department_head, reason="执行中发生纠纷")
            outcome["hold"] = "placed"
        except RecordActionRefused as refusal:
            outcome["hold"] = refusal.message
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            translation.deactivate()
            connection.close()

    threads = [threading.Thread(target=execute), threading.Thread(target=place_hold)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert "nothing left to freeze" in outcome["hold"]
    assert fresh(ready).state == ListState.EXECUTED
    assert {fresh(record).status for record in records} == {RecordStatus.DESTROYED}
    assert not Hold.objects.filter(record__in=records).exists()
