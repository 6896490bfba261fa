"""The repair and copy task screens (R-INV-2) and restoring a missing record
that turned up (issue 13 point 5): who may, what each page shows, what a
refusal leaves (nothing changed), and the list's query count."""
import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from inventory.models import RepairKind, RepairState, RepairTask
from records.models import RecordStatus, SecurityLevel
from tests.conftest import speak_english
from tests.factories import RecordFactory
from tests.inventory.support import counter_without_confidential, fresh, missing, shelves, state
from tests.query_counts import queries_for

TODAY = timezone.localdate()


def signed_in(client, user):
    client.force_login(user)
    speak_english(client)
    return client


def body(response):
    return response.content.decode()


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def task_of(record, archivist, *, kind=RepairKind.REPAIR, days=10, state=RepairState.OPEN, note=""):
    """A task due `days` from today (negative: overdue), saved as it stands:
    the service refuses a due date in the past, and history is not under test."""
    now = timezone.now()
    return RepairTask.objects.create(
        record=record, kind=kind, due_on=TODAY + datetime.timedelta(days=days), note=note, state=state,
        opened_by=archivist, opened_at=now, done_by=archivist if state == RepairState.DONE else None,
        done_at=now if state == RepairState.DONE else None, done_note="已修" if state == RepairState.DONE else "",
    )


def rows(page):
    """data-task values of the table's rows, in order."""
    table = page.split('class="data-table repairs-table"')[1].split("</table>")[0]
    return [int(part.split('"')[0]) for part in table.split('data-task="')[1:]]


# -- the list ---------------------------------------------------------------------


def test_r_inv_2_open_tasks_come_overdue_first_then_by_due_date_with_overdue_marked(client, archivist, filed_record):
    later = task_of(filed_record(), archivist, days=20)
    overdue = task_of(filed_record(), archivist, days=-3)
    soon = task_of(filed_record(), archivist, days=2)
    done = task_of(filed_record(), archivist, state=RepairState.DONE)

    page = body(signed_in(client, archivist).get(reverse("inventory_repairs")))

    assert rows(page) == [overdue.pk, soon.pk, later.pk]
    overdue_row = page.split(f'data-task="{overdue.pk}"')[1].split("</tr>")[0]
    assert 'badge--overdue' in overdue_row and "Overdue" in overdue_row
    assert "badge--overdue" not in page.split(f'data-task="{soon.pk}"')[1].split("</tr>")[0]
    assert reverse("inventory_repair_done", args=[soon.pk]) in page
    done_page = body(client.get(reverse("inventory_repairs") + "?show=done"))
    assert rows(done_page) == [done.pk] and "已修" in done_page
    assert rows(body(client.get(reverse("inventory_repairs") + "?show=overdue"))) == [overdue.pk]


def test_the_head_reads_the_tasks_without_acting_and_staff_may_not(client, archivist, department_head, staff, filed_record):
    task = task_of(filed_record(), archivist)
    page = body(signed_in(client, department_head).get(reverse("inventory_repairs")))
    assert rows(page) == [task.pk]
    assert reverse("inventory_repair_done", args=[task.pk]) not in page
    assert reverse("inventory_repair_new") not in page
    assert signed_in(client, staff).get(reverse("inventory_repairs")).status_code == 403


def test_a_task_of_a_record_the_reader_may_not_see_is_not_listed(client, archivist, filed_record):
    secret = filed_record(security_level=SecurityLevel.CONFIDENTIAL, title="机密修复件")
    hidden = task_of(secret, archivist)
    shown = task_of(filed_record(), archivist)
    counter = counter_without_confidential()
    page = body(signed_in(client, counter).get(reverse("inventory_repairs")))
    assert rows(page) == [shown.pk] and "机密修复件" not in page and secret.archive_number not in page
    assert client.get(reverse("inventory_repair_done", args=[hidden.pk])).status_code == 404


def test_the_list_runs_the_same_queries_for_a_few_tasks_as_for_many(client, archivist, filed_record):
    signed_in(client, archivist)
    records = [filed_record() for _ in range(3)]
    for record in records:
        task_of(record, archivist, days=-1)
        task_of(record, archivist, state=RepairState.DONE)
    url = reverse("inventory_repairs")
    few = queries_for(client, url), queries_for(client, url + "?show=done")
    now = timezone.now()
    RepairTask.objects.bulk_create(
        RepairTask(record=records[n % 3], kind=RepairKind.COPY, due_on=TODAY, opened_by=archivist, opened_at=now)
        for n in range(60)
    )
    RepairTask.objects.bulk_create(
        RepairTask(record=records[n % 3], kind=RepairKind.REPAIR, due_on=TODAY, opened_by=archivist, opened_at=now,
                   state=RepairState.DONE, done_by=archivist, done_at=now, done_note="修")
        for n in range(60)
    )
    assert (queries_for(client, url), queries_for(client, url + "?show=done")) == few


# -- opening a task ----------------------------------------------------------------


def test_r_inv_2_the_archivist_opens_a_task_from_the_record_with_a_due_date_in_a_month(client, archivist, filed_record):
    record = filed_record()
    page = body(signed_in(client, archivist).get(reverse("inventory_repair_new") + f"?record={record.pk}"))
    assert f'value="{record.archive_number}"' in page
    assert (TODAY + datetime.timedelta(days=30)).isoformat() in page

    due = TODAY + datetime.timedelta(days=7)
    response = client.post(reverse("inventory_repair_new"), {
        "archive_number": f" {record.archive_number}\r\n", "kind": RepairKind.COPY, "due_on": due.isoformat(),
        "note": "纸张脆化，复制一份",
    })

    assert response.status_code == 302 and response["Location"] == reverse("inventory_repairs")
    task = RepairTask.objects.get(record=record)
    assert (task.kind, task.due_on, task.note, task.state, task.opened_by) == (
        RepairKind.COPY, due, "纸张脆化，复制一份", RepairState.OPEN, archivist
    )
    assert task.history.count() == 1
    assert any(record.archive_number in message and due.isoformat() in message for message in messages_of(response))


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"archive_number": "HT-NOBODY-0001"}, "archive_number", "No record you may see has the archive number"),
        ({"due_on": (TODAY - datetime.timedelta(days=1)).isoformat()}, "due_on", "a date from today on"),
        ({"kind": "bind"}, "kind", "Select a valid choice"),
    ],
)
def test_r_inv_2_a_task_refused_shows_why_on_the_form_and_changes_nothing(client, archivist, filed_record, change, field, message):
    record = filed_record()
    before = state()
    data = {"archive_number": record.archive_number, "kind": RepairKind.REPAIR, "due_on": TODAY.isoformat(), **change}
    response = signed_in(client, archivist).post(reverse("inventory_repair_new"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert state() == before


def test_a_missing_record_gets_no_task_and_the_refusal_is_on_the_form(client, archivist, filed_record):
    record = missing(filed_record(), archivist)
    before = state()
    response = signed_in(client, archivist).post(reverse("inventory_repair_new"), {
        "archive_number": record.archive_number, "kind": RepairKind.REPAIR, "due_on": TODAY.isoformat(),
    })
    assert "there is nothing to repair or copy" in body(response)
    assert state() == before


def test_a_confidential_record_is_answered_like_a_number_nobody_has(client, archivist, filed_record):
    secret = filed_record(security_level=SecurityLevel.CONFIDENTIAL)
    before = state()
    response = signed_in(client, counter_without_confidential()).post(reverse("inventory_repair_new"), {
        "archive_number": secret.archive_number, "kind": RepairKind.REPAIR, "due_on": TODAY.isoformat(),
    })
    assert "No record you may see has the archive number" in body(response)
    assert state() == before
    # ?record= of a record the user may not see fills nothing in.
    page = body(client.get(reverse("inventory_repair_new") + f"?record={secret.pk}"))
    assert secret.archive_number not in page


@pytest.mark.parametrize("role", ["department_head", "staff"])
def test_only_the_archivist_opens_or_completes_tasks(client, request, archivist, filed_record, role):
    user = request.getfixturevalue(role)
    task = task_of(filed_record(), archivist)
    before = state()
    signed_in(client, user)
    assert client.get(reverse("inventory_repair_new")).status_code == 403
    assert client.post(reverse("inventory_repair_new"), {"archive_number": task.record.archive_number,
                                                        "kind": "repair", "due_on": TODAY.isoformat()}).status_code == 403
    assert client.post(reverse("inventory_repair_done", args=[task.pk]), {"done_note": "修好"}).status_code == 403
    assert client.get(reverse("inventory_record_restore", args=[task.record.pk])).status_code == 403
    assert state() == before


# -- marking done ------------------------------------------------------------------


def test_r_inv_2_a_copy_task_done_raises_the_copies_with_a_history_row(client, archivist, filed_record):
    record = filed_record()
    task = task_of(record, archivist, kind=RepairKind.COPY, days=-2)
    page = body(signed_in(client, archivist).get(reverse("inventory_repair_done", args=[task.pk])))
    assert 'name="copies"' in page and "badge--overdue" in page
    record_history = record.history.count()

    response = client.post(reverse("inventory_repair_done", args=[task.pk]), {"done_note": "已复印两份", "copies": "2"})

    assert response.status_code == 302
    assert fresh(record).copies == record.copies + 2
    assert record.history.count() == record_history + 1
    latest = record.history.first()
    assert latest.copies == record.copies + 2 and "已复印两份" in latest.history_change_reason
    assert latest.history_user == archivist
    task = fresh(task)
    assert (task.state, task.copies_made, task.done_note, task.done_by) == (RepairState.DONE, 2, "已复印两份", archivist)
    assert any("2 copies added" in message for message in messages_of(response))


def test_r_inv_2_a_repair_task_done_asks_no_copies_and_leaves_the_count(client, archivist, filed_record):
    record = filed_record()
    task = task_of(record, archivist)
    page = body(signed_in(client, archivist).get(reverse("inventory_repair_done", args=[task.pk])))
    assert 'name="copies"' not in page
    client.post(reverse("inventory_repair_done", args=[task.pk]), {"done_note": "已托裱", "copies": "5"})
    assert fresh(task).state == RepairState.DONE and fresh(record).copies == record.copies


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"done_note": "", "copies": "1"}, "done_note", "This field is required"),
        ({"done_note": "复印", "copies": "0"}, "copies", "between 1 and"),
    ],
)
def test_r_inv_2_done_without_a_note_or_a_copy_is_refused_and_changes_nothing(client, archivist, filed_record, data, field, message):
    task = task_of(filed_record(), archivist, kind=RepairKind.COPY)
    before = state()
    response = signed_in(client, archivist).post(reverse("inventory_repair_done", args=[task.pk]), data)
    assert message in " ".join(response.context["form"].errors[field])
    assert state() == before


def test_a_task_done_already_is_not_done_twice(client, archivist, filed_record):
    task = task_of(filed_record(), archivist, kind=RepairKind.COPY, state=RepairState.DONE)
    before = state()
    response = signed_in(client, archivist).post(reverse("inventory_repair_done", args=[task.pk]),
                                                 {"done_note": "再做", "copies": "1"})
    assert "This task is already done." in body(response) and 'name="done_note"' not in body(response)
    assert state() == before


def test_a_refusal_of_the_service_shows_on_the_done_form(client, archivist, filed_record):
    record = filed_record()
    task = task_of(record, archivist, kind=RepairKind.COPY)
    missing(record, archivist)
    before = state()
    response = signed_in(client, archivist).post(reverse("inventory_repair_done", args=[task.pk]),
                                                 {"done_note": "复印", "copies": "1"})
    assert response.status_code == 200 and "no copy is added to it" in body(response)
    assert state() == before


# -- restoring a record that turned up ------------------------------------------------


def test_a_missing_record_that_turned_up_is_filed_again_in_the_box_scanned(client, archivist, filed_record):
    _room, _cabinet, (own, other) = shelves(2)
    record = missing(filed_record(location=own), archivist)
    page = body(signed_in(client, archivist).get(reverse("inventory_record_restore", args=[record.pk])))
    assert 'name="reason"' in page and 'name="location"' in page

    response = client.post(reverse("inventory_record_restore", args=[record.pk]),
                           {"reason": "在二号盒中找到", "location": f"{other.full_code}\r"})

    assert response["Location"] == reverse("record_detail", args=[record.pk])
    record = fresh(record)
    assert (record.status, record.location_id) == (RecordStatus.FILED, other.pk)
    latest = record.history.first()
    assert "在二号盒中找到" in latest.history_change_reason and latest.history_user == archivist
    assert any("is filed again" in message for message in messages_of(response))


def test_a_restore_without_its_box_keeps_the_record_where_it_belongs(client, archivist, filed_record):
    _room, _cabinet, (box,) = shelves(1)
    record = missing(filed_record(location=box), archivist)
    signed_in(client, archivist).post(reverse("inventory_record_restore", args=[record.pk]), {"reason": "找到了"})
    assert (fresh(record).status, fresh(record).location_id) == (RecordStatus.FILED, box.pk)


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"reason": ""}, "reason", "This field is required"),
        ({"reason": "找到", "location": "NO-SUCH-BOX"}, "location", "No box in use has the code NO-SUCH-BOX"),
    ],
)
def test_a_restore_refused_on_the_form_changes_nothing(client, archivist, filed_record, data, field, message):
    record = missing(filed_record(), archivist)
    before = state()
    response = signed_in(client, archivist).post(reverse("inventory_record_restore", args=[record.pk]), data)
    assert message in " ".join(response.context["form"].errors[field])
    assert state() == before


def test_a_record_not_missing_is_not_restored_and_the_refusal_is_a_message(client, archivist, filed_record):
    record = filed_record()
    signed_in(client, archivist)
    assert "not missing: there is nothing to restore" in body(client.get(reverse("inventory_record_restore", args=[record.pk])))
    before = state()
    response = client.post(reverse("inventory_record_restore", args=[record.pk]), {"reason": "找到"})
    assert response["Location"] == reverse("record_detail", args=[record.pk])
    assert any("not missing: there is nothing to restore" in message for message in messages_of(response))
    assert state() == before


def test_a_record_the_archivist_may_not_see_is_not_found(client, archivist, filed_record):
    secret = missing(filed_record(security_level=SecurityLevel.CONFIDENTIAL), archivist)
    before = state()
    signed_in(client, counter_without_confidential())
    assert client.get(reverse("inventory_record_restore", args=[secret.pk])).status_code == 404
    assert client.post(reverse("inventory_record_restore", args=[secret.pk]), {"reason": "找到"}).status_code == 404
    assert state() == before


def test_pages_refuse_other_methods(client, archivist, filed_record):
    task = task_of(filed_record(), archivist)
    signed_in(client, archivist)
    assert client.post(reverse("inventory_repairs")).status_code == 405
    assert client.put(reverse("inventory_repair_done", args=[task.pk])).status_code == 405


def test_a_submitted_record_is_not_found_by_number_either(client, archivist):
    record = RecordFactory()
    before = state()
    response = signed_in(client, archivist).post(reverse("inventory_repair_new"), {
        "archive_number": record.archive_number or "HT-NONE", "kind": RepairKind.REPAIR, "due_on": TODAY.isoformat(),
    })
    assert response.status_code == 200 and response.context["form"].errors
    assert state() == before
