"""The irreversible steps behind their confirmation pages: the head's and
leadership's approvals (R-DISP-1, R-DISP-2), the record of the destruction
and the execution (R-DISP-3). Each page says what will happen and to how
many records; a refusal (one's own list, twice, a record lent or held
since listing, a witness who is the executor, witnesses not yet
confirmed) is shown with the message naming the archive number, and
nothing changes."""
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from disposal import services
from disposal.models import Destruction, ItemAction, ListKind, ListState
from records.models import RecordStatus
from records.services import hold_place, record_check_out
from tests.disposal.support import (
    approved, confirmed, draft, due_record, fresh, head_approved, record_destruction, state, submitted, witnesses,
)
from tests.disposal.views_support import shown_messages, signed_in, text_of


def url(name, disposal_list):
    return reverse(name, args=[disposal_list.pk])


def errors_of(response):
    return text_of(response).split('class="form-errors"')[1].split("</div>")[0]


# --- approval ---------------------------------------------------------------------------------------


def test_r_disp_2_the_head_sees_what_the_signature_sets_in_motion(client, archivist, department_head, filed_record):
    records = [due_record(filed_record) for _ in range(3)]
    disposal_list = draft(archivist, records[:2])
    services.list_add_items(disposal_list=disposal_list, records=records[2:], by=archivist,
                            action=ItemAction.EXTEND, extend_years=5, reason="仍有价值")
    services.list_submit(disposal_list=fresh(disposal_list), by=archivist)
    body = text_of(signed_in(client, department_head).get(url("disposal_list_approve", disposal_list)))
    assert 'data-count="3"' in body
    happens = body.split('class="data-table what-happens"')[1].split("</table>")[0]
    assert "Destroy</td><td class=\"num\">2</td>" in happens and "Waits for leadership" in happens
    assert "Extend retention</td><td class=\"num\">1</td>" in happens and "Takes effect now" in happens
    assert fresh(disposal_list).state == ListState.SUBMITTED  # the page signs nothing


def test_r_disp_2_the_head_then_leadership_approve(client, archivist, department_head, leadership, filed_record):
    disposal_list = submitted(archivist, [due_record(filed_record)])
    response = signed_in(client, department_head).post(url("disposal_list_approve", disposal_list), {"state": "submitted"})
    assert response["Location"] == url("disposal_list_detail", disposal_list)
    assert shown_messages(client, response) == [f"You approved list {disposal_list.number}."]
    assert fresh(disposal_list).state == ListState.HEAD_APPROVED
    body = text_of(signed_in(client, leadership).get(url("disposal_list_approve", disposal_list)))
    assert "Destroyed when the archivist executes the list with two witnesses." in body
    client.post(url("disposal_list_approve", disposal_list), {"state": "head_approved"})
    disposal_list = fresh(disposal_list)
    assert (disposal_list.state, disposal_list.leadership_approved_by) == (ListState.LEADERSHIP_APPROVED, leadership)


def test_r_disp_1_the_head_approves_a_weeding_list_and_the_records_are_weeded(
    client, archivist, department_head, filed_record
):
    record = filed_record(year=2024)
    disposal_list = submitted(archivist, [record], kind=ListKind.WEEDING)
    body = text_of(signed_in(client, department_head).get(url("disposal_list_approve", disposal_list)))
    assert "The records become weeded now" in body
    client.post(url("disposal_list_approve", disposal_list), {"state": "submitted"})
    assert (fresh(disposal_list).state, fresh(record).status) == (ListState.EXECUTED, RecordStatus.WEEDED)


def test_nobody_approves_a_list_they_drafted(client, archivist, filed_record):
    archivist.user_permissions.add(Permission.objects.get(codename="approve_disposal"))
    disposal_list = submitted(archivist, [due_record(filed_record)])
    signed_in(client, archivist)
    assert client.get(url("disposal_list_approve", disposal_list)).status_code == 302
    before = state()
    response = client.post(url("disposal_list_approve", disposal_list), {"state": "submitted"})
    assert response.status_code == 200
    assert f"You drafted list {disposal_list.number}: someone else must approve it." in errors_of(response)
    assert state() == before


def test_approving_twice_is_refused(client, archivist, department_head, filed_record):
    disposal_list = submitted(archivist, [due_record(filed_record)])
    signed_in(client, department_head)
    client.post(url("disposal_list_approve", disposal_list), {"state": "submitted"})
    before = state()
    response = client.post(url("disposal_list_approve", disposal_list), {"state": "submitted"})
    assert "changed while you were looking at it" in errors_of(response)
    assert state() == before


def test_a_record_lent_since_listing_is_named_and_nothing_is_approved(client, archivist, department_head, filed_record):
    kept, lent = due_record(filed_record), due_record(filed_record, title="借出的档案")
    disposal_list = submitted(archivist, [kept, lent])
    record_check_out(record=lent, reason="借阅", by=archivist)
    signed_in(client, department_head)
    page = text_of(client.get(url("disposal_list_approve", disposal_list)))
    problems = page.split('class="data-table problem-items"')[1].split("</table>")[0]
    assert lent.archive_number in problems and kept.archive_number not in problems
    item = disposal_list.items.get(record=lent)
    assert reverse("disposal_item_strike", args=[item.pk]) in problems
    before = state()
    response = client.post(url("disposal_list_approve", disposal_list), {"state": "submitted"})
    assert lent.archive_number in errors_of(response) and "on loan" in errors_of(response)
    assert state() == before


def test_the_approval_page_is_not_offered_to_whom_the_list_does_not_wait_for(client, archivist, leadership, filed_record):
    disposal_list = submitted(archivist, [due_record(filed_record)])
    response = signed_in(client, leadership).get(url("disposal_list_approve", disposal_list))
    assert response["Location"] == url("disposal_list_detail", disposal_list)
    assert shown_messages(client, response) == ["This list is not waiting for your approval."]
    before = state()
    response = client.post(url("disposal_list_approve", disposal_list), {"state": "submitted"})
    assert "Only the department head approves a submitted list." in errors_of(response)
    assert state() == before


# --- the destruction record ------------------------------------------------------------------------------


def _facts(archivist, people, **changes):
    return {
        "date": timezone.localdate().isoformat(), "place": "档案室碎纸间", "method": "shredding",
        "executor": archivist.pk, "witness_1": people[0].pk, "witness_2": people[1].pk, **changes,
    }


def test_r_disp_3_the_archivist_records_the_destruction_and_the_witnesses_are_asked(
    client, archivist, department_head, leadership, filed_record
):
    disposal_list = approved(archivist, department_head, leadership, [due_record(filed_record)])
    people = witnesses()
    signed_in(client, archivist)
    assert client.get(url("disposal_destruction_record", disposal_list)).status_code == 200
    response = client.post(url("disposal_destruction_record", disposal_list), _facts(archivist, people))
    assert response["Location"] == url("disposal_list_detail", disposal_list)
    destruction = Destruction.objects.get()
    assert (destruction.place, destruction.executor) == ("档案室碎纸间", archivist)
    assert sorted(destruction.witnesses.values_list("user__username", flat=True)) == ["witness_a", "witness_b"]
    for person in people:
        witness = destruction.witnesses.get(user=person)
        assert person.notices.filter(url=reverse("disposal_witness_confirm", args=[witness.pk])).exists()


@pytest.mark.parametrize(
    "change, message",
    [
        ({"witness_2": "executor"}, "carries out the destruction and cannot also witness it"),
        ({"witness_2": "first"}, "The two witnesses must be two different people."),
        ({"witness_2": ""}, "Name two witnesses of the destruction."),
        ({"place": ""}, "Place: say where it was destroyed."),
    ],
)
def test_r_disp_3_bad_witnesses_or_facts_are_refused_on_the_form(
    client, archivist, department_head, leadership, filed_record, change, message
):
    disposal_list = approved(archivist, department_head, leadership, [due_record(filed_record)])
    people = witnesses()
    values = {"executor": archivist.pk, "first": people[0].pk}
    data = _facts(archivist, people, **{key: values.get(value, value) for key, value in change.items()})
    before = state()
    response = signed_in(client, archivist).post(url("disposal_destruction_record", disposal_list), data)
    assert response.status_code == 200 and message in text_of(response)
    assert state() == before


def test_a_destruction_date_in_the_future_is_refused(client, archivist, department_head, leadership, filed_record):
    disposal_list = approved(archivist, department_head, leadership, [due_record(filed_record)])
    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    before = state()
    response = signed_in(client, archivist).post(
        url("disposal_destruction_record", disposal_list), _facts(archivist, witnesses(), date=tomorrow)
    )
    assert "it cannot be after today" in text_of(response)
    assert state() == before


# --- execution ------------------------------------------------------------------------------------------------


def test_r_disp_3_execution_waits_for_both_witnesses(client, archivist, department_head, leadership, filed_record):
    disposal_list = approved(archivist, department_head, leadership, [due_record(filed_record)])
    people = witnesses()
    destruction = record_destruction(disposal_list, archivist, people)
    services.witness_confirm(witness=destruction.witnesses.get(user=people[0]), by=people[0])
    signed_in(client, archivist)
    page = text_of(client.get(url("disposal_list_execute", disposal_list)))
    assert 'name="confirm"' not in page and "both witnesses have confirmed" in page
    before = state()
    response = client.post(url("disposal_list_execute", disposal_list), {"state": "leadership_approved"})
    assert f"waiting for: {people[1].display_name}." in errors_of(response)
    assert state() == before


def test_r_disp_3_the_archivist_executes_after_a_page_saying_what_will_happen(
    client, archivist, department_head, leadership, filed_record, private_storage
):
    from tests.disposal.support import with_file

    records = [due_record(filed_record) for _ in range(2)]
    with_file(records[0], archivist)
    disposal_list = approved(archivist, department_head, leadership, records)
    confirmed(disposal_list, archivist, witnesses())
    signed_in(client, archivist)
    page = text_of(client.get(url("disposal_list_execute", disposal_list)))
    assert 'data-count="2" data-destroys="2" data-transfers="0" data-files="1"' in page
    assert 'name="confirm"' in page
    response = client.post(url("disposal_list_execute", disposal_list), {"state": "leadership_approved"})
    assert shown_messages(client, response) == [f"List {disposal_list.number} was executed."]
    assert fresh(disposal_list).state == ListState.EXECUTED
    assert {fresh(record).status for record in records} == {RecordStatus.DESTROYED}


def test_r_disp_3_a_hold_placed_before_execution_is_named_and_nothing_is_destroyed(
    client, archivist, department_head, leadership, filed_record
):
    records = [due_record(filed_record) for _ in range(2)]
    disposal_list = approved(archivist, department_head, leadership, records)
    confirmed(disposal_list, archivist, witnesses())
    hold_place(record=records[1], by=leadership, reason="诉讼保全")
    signed_in(client, archivist)
    before = state()
    response = client.post(url("disposal_list_execute", disposal_list), {"state": "leadership_approved"})
    assert records[1].archive_number in errors_of(response) and "诉讼保全" in errors_of(response)
    assert records[0].archive_number not in errors_of(response)
    problems = text_of(response).split('class="data-table problem-items"')[1].split("</table>")[0]
    assert records[1].archive_number in problems
    assert state() == before


def test_the_execution_page_is_not_offered_before_approval(client, archivist, department_head, filed_record):
    disposal_list = head_approved(archivist, department_head, [due_record(filed_record)])
    response = signed_in(client, archivist).get(url("disposal_list_execute", disposal_list))
    assert response["Location"] == url("disposal_list_detail", disposal_list)
    before = state()
    response = client.post(url("disposal_list_execute", disposal_list), {"state": "head_approved"})
    assert "it is not approved for execution" in errors_of(response)
    assert state() == before


@pytest.mark.parametrize("name", ["disposal_list_approve", "disposal_list_execute", "disposal_destruction_record"])
def test_wrong_methods_are_refused(client, archivist, name):
    disposal_list = draft(archivist, [])
    assert signed_in(client, archivist).put(url(name, disposal_list)).status_code == 405
