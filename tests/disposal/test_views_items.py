"""A list's items on the screens: records added by their archive numbers
(a weeding list takes any record on the shelf with its reason, R-DISP-1),
a record weeded from its own page, a proposal changed, an item struck off
with a reason; refusals shown with the archive number and nothing changed."""
import pytest
from django.urls import reverse

from accounts.roles import Role
from disposal.models import DisposalList, ItemAction, ListKind
from records.models import RecordStatus
from records.services import hold_place
from tests.disposal.support import draft, due_record, fresh, state, submitted
from tests.disposal.views_support import EVERY_ROLE, shown_messages, signed_in, text_of


def add_url(disposal_list):
    return reverse("disposal_list_add", args=[disposal_list.pk])


# --- by archive number ----------------------------------------------------------------------------


def test_r_disp_1_any_record_on_the_shelf_goes_on_a_weeding_list_with_its_reason(client, archivist, filed_record):
    first, second = filed_record(year=2024), filed_record(year=2024)
    weeding = draft(archivist, [], kind=ListKind.WEEDING)
    response = signed_in(client, archivist).post(add_url(weeding), {
        "archive_numbers": f"{first.archive_number}\n{second.archive_number}", "action": "weed", "reason": "重复副本",
    })
    assert response["Location"] == reverse("disposal_list_detail", args=[weeding.pk])
    assert sorted(weeding.items.values_list("record_id", "action", "reason")) == [
        (first.pk, "weed", "重复副本"), (second.pk, "weed", "重复副本")
    ]


def test_the_weeding_form_asks_no_proposal(client, archivist):
    weeding = draft(archivist, [], kind=ListKind.WEEDING)
    body = text_of(signed_in(client, archivist).get(add_url(weeding)))
    assert 'name="action" value="weed"' in body and 'type="hidden"' in body
    assert 'name="extend_years"' not in body and 'name="receiving_body"' not in body


def test_r_disp_1_a_weeding_item_without_reason_is_refused(client, archivist, filed_record):
    record = filed_record(year=2024)
    weeding = draft(archivist, [], kind=ListKind.WEEDING)
    before = state()
    response = signed_in(client, archivist).post(add_url(weeding), {"archive_numbers": record.archive_number, "action": "weed"})
    assert response.status_code == 200 and "Reason: say why the record has no lasting value." in text_of(response)
    assert state() == before


def test_an_unknown_archive_number_is_named(client, archivist):
    weeding = draft(archivist, [], kind=ListKind.WEEDING)
    response = signed_in(client, archivist).post(add_url(weeding), {"archive_numbers": "J999-NONE", "reason": "x"})
    assert "No record you may see has the archive number J999-NONE." in text_of(response)


def test_a_held_record_is_refused_by_its_archive_number(client, archivist, department_head, filed_record):
    record = filed_record(year=2024)
    hold_place(record=record, by=department_head, reason="审计冻结")
    weeding = draft(archivist, [], kind=ListKind.WEEDING)
    before = state()
    response = signed_in(client, archivist).post(add_url(weeding), {"archive_numbers": record.archive_number, "reason": "无价值"})
    errors = text_of(response).split('class="form-errors"')[1].split("</div>")[0]
    assert record.archive_number in errors and "审计冻结" in errors
    assert state() == before


def test_r_disp_2_an_appraisal_list_takes_due_records_by_number_with_a_proposal(client, archivist, filed_record):
    due, not_due = due_record(filed_record), filed_record(year=2024, retention_years=30)
    appraisal = draft(archivist, [])
    signed_in(client, archivist)
    response = client.post(add_url(appraisal), {
        "archive_numbers": due.archive_number, "action": "transfer", "receiving_body": "公司档案馆",
    })
    assert response.status_code == 302
    assert list(appraisal.items.values_list("action", "receiving_body")) == [("transfer", "公司档案馆")]
    response = client.post(add_url(appraisal), {"archive_numbers": not_due.archive_number, "action": "destroy"})
    assert not_due.archive_number in text_of(response) and "after the end of 2024" in text_of(response)


# --- change and strike ----------------------------------------------------------------------------------


def test_the_drafter_changes_a_proposal(client, archivist, filed_record):
    disposal_list = draft(archivist, [due_record(filed_record)])
    item = disposal_list.items.get()
    response = signed_in(client, archivist).post(reverse("disposal_item_edit", args=[item.pk]), {
        "action": "keep_permanently", "opinion": "具有长期价值",
    })
    assert response.status_code == 302
    assert (fresh(item).action, fresh(item).opinion) == (ItemAction.KEEP_PERMANENTLY, "具有长期价值")


def test_a_submitted_proposal_is_not_changed(client, archivist, filed_record):
    disposal_list = submitted(archivist, [due_record(filed_record)])
    item = disposal_list.items.get()
    before = state()
    response = signed_in(client, archivist).post(reverse("disposal_item_edit", args=[item.pk]), {"action": "extend"})
    assert shown_messages(client, response) == [
        "Only the drafter changes a proposal, and only while the list is a draft or returned."
    ]
    assert state() == before


def test_the_head_strikes_an_item_off_with_a_reason(client, archivist, department_head, filed_record):
    disposal_list = submitted(archivist, [due_record(filed_record), due_record(filed_record)])
    item = disposal_list.items.first()
    detail = reverse("disposal_list_detail", args=[disposal_list.pk])
    response = signed_in(client, department_head).post(
        reverse("disposal_item_strike", args=[item.pk]), {"reason": "仍有查考价值", "next": detail + "?page=1"}
    )
    assert response["Location"] == detail + "?page=1"
    item = fresh(item)
    assert (item.struck_off, item.struck_reason, item.struck_by) == (True, "仍有查考价值", department_head)


def test_an_item_struck_without_reason_is_refused_on_the_form(client, archivist, department_head, filed_record):
    disposal_list = submitted(archivist, [due_record(filed_record)])
    item = disposal_list.items.get()
    before = state()
    response = signed_in(client, department_head).post(reverse("disposal_item_strike", args=[item.pk]), {"reason": ""})
    assert response.status_code == 200
    assert "Reason for striking off: say why the record is kept." in text_of(response)
    assert state() == before


def test_leadership_does_not_strike_items_of_a_list_waiting_for_the_head(client, archivist, leadership, filed_record):
    disposal_list = submitted(archivist, [due_record(filed_record)])
    item = disposal_list.items.get()
    signed_in(client, leadership)
    assert client.get(reverse("disposal_item_strike", args=[item.pk])).status_code == 302
    before = state()
    response = client.post(reverse("disposal_item_strike", args=[item.pk]), {"reason": "越权"})
    assert "You cannot strike items off this list at its current step." in text_of(response)
    assert state() == before


def test_a_redirect_elsewhere_is_not_followed(client, archivist, department_head, filed_record):
    disposal_list = submitted(archivist, [due_record(filed_record)])
    item = disposal_list.items.get()
    response = signed_in(client, department_head).post(
        reverse("disposal_item_strike", args=[item.pk]), {"reason": "x", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("disposal_list_detail", args=[disposal_list.pk])


# --- weeding from the record page ---------------------------------------------------------------------------


def test_r_disp_1_the_archivist_weeds_a_record_from_its_page(client, archivist, department_head, filed_record):
    record = filed_record(title="整理中发现的重复材料", year=2024)
    signed_in(client, archivist)
    page = text_of(client.get(reverse("record_detail", args=[record.pk])))
    panel = page.split('data-panel="disposal"')[1].split("</section>")[0]
    assert reverse("disposal_weed_record", args=[record.pk]) in panel
    response = client.post(reverse("disposal_weed_record", args=[record.pk]), {"target": "new", "reason": "重复材料"})
    assert response["Location"] == reverse("record_detail", args=[record.pk])
    weeding = DisposalList.objects.get()
    assert (weeding.kind, list(weeding.items.values_list("record_id", "reason"))) == (
        ListKind.WEEDING, [(record.pk, "重复材料")]
    )
    panel = text_of(client.get(reverse("record_detail", args=[record.pk]))).split('data-panel="disposal"')[1]
    assert f"On list {weeding.number}" in panel.split("</section>")[0]
    # A second one goes on the same open weeding list, offered first.
    other = filed_record(year=2024)
    client.post(reverse("disposal_weed_record", args=[other.pk]), {"target": str(weeding.pk), "reason": "无价值"})
    assert weeding.items.count() == 2 and DisposalList.objects.count() == 1


def test_weeding_a_record_without_reason_leaves_no_list_behind(client, archivist, filed_record):
    record = filed_record(year=2024)
    before = state()
    response = signed_in(client, archivist).post(reverse("disposal_weed_record", args=[record.pk]), {"target": "new", "reason": ""})
    assert response.status_code == 200 and "This field is required." in text_of(response)
    assert state() == before


def test_weeding_a_record_on_loan_is_refused_and_takes_no_number(client, archivist, filed_record):
    from records.services import record_check_out

    record = filed_record(year=2024)
    record_check_out(record=record, reason="借阅", by=archivist)
    before = state()
    response = signed_in(client, archivist).post(reverse("disposal_weed_record", args=[record.pk]), {"target": "new", "reason": "无价值"})
    assert response.status_code == 200 and record.archive_number in text_of(response).split('class="form-errors"')[1]
    assert state() == before


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_only_the_archivist_weeds_from_the_record_page(client, role_users, filed_record, role):
    record = filed_record(year=2024)
    signed_in(client, role_users[role])
    page = text_of(client.get(reverse("record_detail", args=[record.pk])))
    weed = reverse("disposal_weed_record", args=[record.pk])
    assert (weed in page) == (role == Role.ARCHIVIST)
    expected = 200 if role == Role.ARCHIVIST else 403
    assert client.get(weed).status_code == expected
    if role != Role.ARCHIVIST:
        before = state()
        assert client.post(weed, {"target": "new", "reason": "越权"}).status_code == 403
        assert state() == before


def test_the_weeding_form_is_not_offered_for_a_record_off_the_shelf(client, archivist, filed_record):
    record = filed_record(year=2024)
    type(record).objects.filter(pk=record.pk).update(status=RecordStatus.MISSING)
    page = text_of(signed_in(client, archivist).get(reverse("record_detail", args=[record.pk])))
    assert reverse("disposal_weed_record", args=[record.pk]) not in page
