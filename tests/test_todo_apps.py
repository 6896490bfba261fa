"""The to-do lines of disposal, inventory, contracts, documents and the
file check (records.todo, issue 16): counts, tones and links per role.
tests/test_todo.py covers the registry, receiving, lending, clients,
sign-in lockouts and the query count."""
import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext

from disposal.models import ListState
from inventory.models import RepairKind, RepairState, RepairTask, WriteOff, WriteOffState
from records.models import FixityCheck, Hold
from tests.contracts.ledger_support import make_contract
from tests.disposal.registers_support import make_list
from tests.documents.support import make_copy, make_document
from tests.test_todo import by_url, submitted, todo_of

TODAY = datetime.date.today()


def test_archivist_sees_disposal_lists_in_work(client, archivist, department_head, leadership):
    make_list(archivist, "JD-2024-0011", state=ListState.DRAFT)
    make_list(archivist, "JD-2024-0012", state=ListState.RETURNED, returned_at=timezone.now())
    make_list(archivist, "JD-2024-0013", state=ListState.RETURNED, returned_at=timezone.now())
    make_list(
        archivist, "JD-2024-0014", state=ListState.LEADERSHIP_APPROVED,
        head_approved_by=department_head, head_approved_at=timezone.now(),
        leadership_approved_by=leadership, leadership_approved_at=timezone.now(),
    )

    todo, _html = todo_of(client, archivist)

    inbox = reverse("disposal_inbox")
    assert todo[(inbox, gettext("Disposal lists in draft"))] == (1, "normal")
    assert todo[(inbox, gettext("Disposal lists returned to you"))] == (2, "warning")
    assert todo[(inbox, gettext("Approved disposal lists to carry out"))] == (1, "normal")


def test_holds_past_their_end_date_wait_for_release(client, department_head, staff, filed_record):
    ended, running = filed_record(), filed_record()
    Hold.objects.create(record=ended, reason="诉讼", placed_by=department_head, ends_on=TODAY - datetime.timedelta(days=1))
    Hold.objects.create(record=running, reason="审计", placed_by=department_head, ends_on=TODAY + datetime.timedelta(days=9))

    todo, _html = todo_of(client, department_head)
    staff_todo, _html = todo_of(client, staff)

    url = reverse("disposal_holds") + "?state=ended"
    assert todo[(url, gettext("Holds past their end date, to release"))] == (1, "warning")
    assert url not in by_url(staff_todo)


def test_archivist_sees_repairs_overdue_and_due_head_sees_write_offs(client, archivist, department_head, filed_record):
    now = timezone.now()
    for days in (-2, -1, 3):
        RepairTask.objects.create(
            record=filed_record(), kind=RepairKind.REPAIR, due_on=TODAY + datetime.timedelta(days=days),
            opened_by=archivist, opened_at=now, state=RepairState.OPEN,
        )
    for state in (WriteOffState.REQUESTED, WriteOffState.REQUESTED, WriteOffState.APPROVED):
        WriteOff.objects.create(
            record=filed_record(), kind="loss", reason="遗失", requested_by=archivist, requested_at=now, state=state
        )

    todo, _html = todo_of(client, archivist)
    head_todo, _html = todo_of(client, department_head)

    repairs = reverse("inventory_repairs")
    assert todo[(repairs, gettext("Repair and copy tasks overdue"))] == (2, "danger")
    assert todo[(repairs, gettext("Repair and copy tasks due"))] == (1, "normal")
    assert head_todo[(reverse("inventory_write_offs"), gettext("Write-offs waiting for your decision"))] == (2, "normal")
    assert repairs not in by_url(head_todo)


def test_contracts_ending_soon_link_to_the_ledger_filtered_the_same_way(client, archivist, department_head, staff):
    make_contract(archivist, "HT-1", ends_in=5)
    make_contract(archivist, "HT-2", ends_in=29)
    make_contract(archivist, "HT-3", ends_in=200)
    make_contract(archivist, "HT-4", ends_in=-3)  # ended: the home panel lists it

    url = f"{reverse('contract_ledger')}?{urlencode({'expiring_within': 30})}"
    label = gettext("Contracts ending within %(days)s days") % {"days": 30}
    for user in (archivist, department_head):
        todo, _html = todo_of(client, user)
        assert todo[(url, label)] == (2, "warning")
    staff_todo, _html = todo_of(client, staff)
    assert url not in by_url(staff_todo)
    client.force_login(archivist)
    assert client.get(url).content.decode().count("HT-") >= 2


def test_document_holders_and_the_distributor_see_their_copies(client, archivist, staff, private_storage):
    document = make_document(marked_by=archivist)
    make_copy(document, recipient_user=staff)
    make_copy(document, recipient_user=staff)
    make_document(title="客户接待规范", marked_by=archivist)

    staff_todo, _html = todo_of(client, staff)
    todo, _html = todo_of(client, archivist)

    assert staff_todo[(reverse("documents_my_copies"), gettext("Document copies to sign for"))] == (2, "normal")
    desk = reverse("documents_desk")
    assert todo[(f"{desk}?show=ready", gettext("Documents ready to distribute"))] == (2, "normal")


def test_a_failed_file_check_comes_first_for_the_archivist(client, archivist, staff):
    FixityCheck.objects.create(files_checked=10, problem_count=3, problems=[])
    submitted(1, by=staff)

    todo, _html = todo_of(client, archivist)

    urls = list(by_url(todo))
    assert todo[(reverse("maintenance"), gettext("Stored files that failed their check"))] == (3, "danger")
    assert urls.index(reverse("maintenance")) < urls.index(reverse("receiving_queue"))
