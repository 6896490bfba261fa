"""Drafting, adding records, changing and striking items, submitting and
returning lists (R-DISP-1, R-DISP-2). Every refusal is checked for its
message and for leaving everything as it was (support.state)."""
import datetime

import pytest
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from accounts.models import Notice
from accounts.roles import Role
from disposal import services
from disposal.exceptions import ItemsRefused
from disposal.models import ItemAction, ListKind, ListState
from records.models import RecordStatus
from records.services import hold_place, record_check_in, record_check_out, record_correct
from tests.conftest import make_user
from tests.disposal.support import YEAR, draft, due_record, fresh, refused, state, submitted


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# --- drafting ---------------------------------------------------------------


def test_r_disp_2_a_year_in_the_future_is_refused(archivist):
    next_year = datetime.date.today().year + 1
    refused("has not ended yet", services.list_create, kind=ListKind.APPRAISAL, year=next_year, by=archivist)


@pytest.mark.parametrize("year", ["", "abc", 1900])
def test_an_appraisal_year_that_is_not_a_year_is_refused(archivist, year):
    refused("Year", services.list_create, kind=ListKind.APPRAISAL, year=year, by=archivist)


def test_only_the_archivist_drafts(department_head):
    refused("Only the archivist", services.list_create, kind=ListKind.APPRAISAL, year=YEAR, by=department_head)


def test_a_list_starts_as_a_draft_with_history(archivist):
    disposal_list = services.list_create(kind=ListKind.APPRAISAL, year=YEAR, by=archivist, opinion="已到期")
    assert (disposal_list.state, disposal_list.opinion, disposal_list.drafted_by) == (ListState.DRAFT, "已到期", archivist)
    entry = disposal_list.history.get()
    assert (entry.history_user, entry.history_change_reason) == (archivist, "disposal_list_drafted")


def test_the_drafter_writes_the_opinion(archivist, filed_record):
    disposal_list = draft(archivist, [])
    services.list_update(disposal_list=disposal_list, by=archivist, opinion="经鉴定，以下档案已失去保存价值")
    assert fresh(disposal_list).opinion == "经鉴定，以下档案已失去保存价值"


# --- adding records -----------------------------------------------------------


def test_r_disp_2_due_records_are_listed_with_a_snapshot(archivist, filed_record):
    records = [due_record(filed_record) for _ in range(3)]
    disposal_list = draft(archivist, records)
    items = list(disposal_list.items.order_by("record_id"))
    assert [item.record_id for item in items] == sorted(r.pk for r in records)
    assert {item.listed_status for item in items} == {RecordStatus.FILED}
    assert all(item.history.get().history_change_reason == "disposal_item_listed" for item in items)
    assert all(item.history.get().history_user == archivist for item in items)


def test_r_disp_2_a_record_not_yet_due_is_refused(archivist, filed_record):
    kept = filed_record(year=2020, retention_years=30)
    disposal_list = draft(archivist, [])
    refusal = refused(
        rf"{kept.archive_number}: kept until 2050-12-31, after the end of {YEAR}",
        services.list_add_items, disposal_list=disposal_list, records=[kept], by=archivist, action=ItemAction.DESTROY,
    )
    assert set(refusal.problems) == {kept.pk}


@pytest.mark.parametrize("why", ["on loan", "frozen", "permanent", "missing"])
def test_r_disp_2_records_kept_by_something_are_refused_all_or_nothing(archivist, filed_record, department_head, why):
    good = due_record(filed_record)
    bad = due_record(filed_record, retention_years=None) if why == "permanent" else due_record(filed_record)
    if why == "on loan":
        record_check_out(record=bad, reason="checked_out", by=archivist)
    elif why == "frozen":
        hold_place(record=bad, by=department_head, reason="合同纠纷")
    elif why == "missing":
        bad.status = RecordStatus.MISSING
        bad.save()
    disposal_list = draft(archivist, [])
    refusal = refused(
        bad.archive_number, services.list_add_items,
        disposal_list=disposal_list, records=[good, bad], by=archivist, action=ItemAction.DESTROY,
    )
    assert isinstance(refusal, ItemsRefused) and set(refusal.problems) == {bad.pk}
    assert good.archive_number not in refusal.message


def test_r_disp_2_a_record_on_another_open_list_is_refused(archivist, filed_record):
    record = due_record(filed_record)
    first = draft(archivist, [record])
    second = draft(archivist, [])
    refused(
        f"already on list {first.number}", services.list_add_items,
        disposal_list=second, records=[record], by=archivist, action=ItemAction.DESTROY,
    )


def test_a_record_already_on_this_list_is_refused(archivist, filed_record):
    record = due_record(filed_record)
    disposal_list = draft(archivist, [record])
    refused("already on this list", services.list_add_items,
            disposal_list=disposal_list, records=[record], by=archivist, action=ItemAction.DESTROY)


def test_r_disp_1_weeding_takes_any_record_on_the_shelf_with_a_reason(archivist, filed_record):
    young = filed_record(year=2024, retention_years=30)
    disposal_list = draft(archivist, [], kind=ListKind.WEEDING)
    refused("Reason", services.list_add_items, disposal_list=disposal_list, records=[young], by=archivist)
    services.list_add_items(disposal_list=disposal_list, records=[young], by=archivist, reason="重复件")
    item = disposal_list.items.get()
    assert (item.action, item.reason) == (ItemAction.WEED, "重复件")


def test_r_disp_1_a_weeding_list_only_weeds(archivist, filed_record):
    disposal_list = draft(archivist, [], kind=ListKind.WEEDING)
    refused("only weeds", services.list_add_items, disposal_list=disposal_list, records=[due_record(filed_record)],
            by=archivist, action=ItemAction.DESTROY, reason="x")


@pytest.mark.parametrize(
    "proposal, match",
    [
        ({"action": ItemAction.EXTEND, "reason": "仍需查考"}, "Extend by"),
        ({"action": ItemAction.EXTEND, "extend_years": 5}, "kept longer"),
        ({"action": ItemAction.EXTEND, "extend_years": 0, "reason": "x"}, "Extend by"),
        ({"action": ItemAction.TRANSFER}, "Receiving body"),
        ({"action": ItemAction.WEED, "reason": "x"}, "destroy, extend"),
        ({"action": "burn"}, "destroy, extend"),
    ],
)
def test_r_disp_2_a_proposal_needs_its_fields(archivist, filed_record, proposal, match):
    disposal_list = draft(archivist, [])
    refused(match, services.list_add_items, disposal_list=disposal_list, records=[due_record(filed_record)],
            by=archivist, **proposal)


def test_r_disp_2_an_extension_stays_within_a_century(archivist, filed_record):
    record = due_record(filed_record)  # kept 10 years: at most 90 more
    disposal_list = draft(archivist, [])
    refused("at most 90 years", services.list_add_items, disposal_list=disposal_list, records=[record],
            by=archivist, action=ItemAction.EXTEND, extend_years=95, reason="x")


def test_no_records_is_refused(archivist):
    refused("at least one record", services.list_add_items, disposal_list=draft(archivist, []), records=[],
            by=archivist, action=ItemAction.DESTROY)


def test_only_the_drafter_adds(archivist, filed_record):
    other = make_user(Role.ARCHIVIST, "other_archivist")
    refused("Only the drafter", services.list_add_items, disposal_list=draft(archivist, []),
            records=[due_record(filed_record)], by=other, action=ItemAction.DESTROY)


# --- changing and striking items ---------------------------------------------


def test_the_drafter_changes_a_proposal(archivist, filed_record):
    disposal_list = draft(archivist, [due_record(filed_record)])
    item = disposal_list.items.get()
    services.item_update(item=item, by=archivist, action=ItemAction.TRANSFER, receiving_body="集团档案馆")
    item = fresh(item)
    assert (item.action, item.receiving_body) == (ItemAction.TRANSFER, "集团档案馆")
    assert item.history.first().history_change_reason == "disposal_item_changed"


def test_striking_off_needs_a_reason_and_frees_the_record(archivist, filed_record):
    record = due_record(filed_record)
    disposal_list = draft(archivist, [record])
    item = disposal_list.items.get()
    refused("Reason for striking off", services.item_strike, item=item, by=archivist, reason=" ")
    services.item_strike(item=item, by=archivist, reason="仍在使用")
    item = fresh(item)
    assert (item.struck_off, item.struck_reason, item.struck_by) == (True, "仍在使用", archivist)
    refused("already struck off", services.item_strike, item=item, by=archivist, reason="again")
    # Free for another list; and listed again on this one, the item is revived.
    services.list_add_items(disposal_list=disposal_list, records=[record], by=archivist, action=ItemAction.DESTROY)
    item = fresh(item)
    assert (item.struck_off, item.struck_reason) == (False, "")


# --- submitting ---------------------------------------------------------------


def test_r_disp_2_a_list_of_zero_items_is_refused(archivist):
    disposal_list = draft(archivist, [])
    refused("has no items", services.list_submit, disposal_list=disposal_list, by=archivist)


def test_r_disp_2_a_list_whose_items_are_all_struck_is_refused(archivist, filed_record):
    disposal_list = draft(archivist, [due_record(filed_record)])
    services.item_strike(item=disposal_list.items.get(), by=archivist, reason="保留")
    refused("has no items", services.list_submit, disposal_list=disposal_list, by=archivist)


def test_r_disp_2_submitting_tells_the_head(archivist, department_head, leadership, filed_record):
    disposal_list = submitted(archivist, [due_record(filed_record)])
    assert disposal_list.state == ListState.SUBMITTED
    notices = Notice.objects.filter(user=department_head)
    assert [notice.text for notice in notices] == [
        f"Appraisal and disposal list {disposal_list.number} waits for your approval as department head."
    ]
    assert not Notice.objects.filter(user__in=[leadership, archivist]).exists()


@pytest.mark.parametrize("change", ["lent", "corrected", "held"])
def test_r_disp_2_a_record_changed_since_listing_is_named_at_submission(
    archivist, department_head, filed_record, change
):
    calm, changed = due_record(filed_record), due_record(filed_record)
    disposal_list = draft(archivist, [calm, changed])
    if change == "lent":
        # Lent and back on the shelf: still not the record that was listed.
        record_check_out(record=changed, reason="checked_out", by=archivist)
        record_check_in(record=changed, reason="checked_in", by=archivist)
        match = "changed since it was listed"
    elif change == "corrected":
        record_correct(record=changed, by=archivist, changes={"title": "更正后的题名"}, reason="题名有误")
        match = "changed since it was listed"
    else:
        hold_place(record=changed, by=department_head, reason="审计")
        match = "frozen"
    refusal = refused(
        rf"{changed.archive_number}: .*{match}", services.list_submit, disposal_list=disposal_list, by=archivist
    )
    assert calm.archive_number not in refusal.message
    assert set(refusal.problems) == {changed.pk}


def test_only_the_drafter_submits(archivist, department_head, filed_record):
    disposal_list = draft(archivist, [due_record(filed_record)])
    refused("Only the drafter", services.list_submit, disposal_list=disposal_list, by=department_head)


# --- returning ----------------------------------------------------------------


def test_returning_needs_a_reason_and_the_drafter_submits_again(archivist, department_head, filed_record):
    disposal_list = submitted(archivist, [due_record(filed_record)])
    refused("Reason for return", services.list_return, disposal_list=disposal_list, by=department_head, reason="")
    returned = services.list_return(disposal_list=disposal_list, by=department_head, reason="请补充鉴定意见")
    assert (returned.state, returned.return_reason, returned.returned_by) == (
        ListState.RETURNED, "请补充鉴定意见", department_head
    )
    assert Notice.objects.filter(user=archivist, text__contains="请补充鉴定意见").count() == 1
    again = services.list_submit(disposal_list=returned, by=archivist)
    assert (again.state, again.number) == (ListState.SUBMITTED, disposal_list.number)


def test_a_draft_cannot_be_returned(archivist, department_head, filed_record):
    disposal_list = draft(archivist, [due_record(filed_record)])
    refused("nothing to return", services.list_return, disposal_list=disposal_list, by=department_head, reason="x")


def test_only_the_approver_it_waits_for_returns(archivist, leadership, filed_record):
    disposal_list = submitted(archivist, [due_record(filed_record)])
    refused("Only the approver", services.list_return, disposal_list=disposal_list, by=leadership, reason="x")


def test_r_disp_2_notices_are_mailed_only_by_a_step_that_commits(archivist, department_head, filed_record):
    """The head has an address: a refused submission queues no mail; the
    submission that goes through queues one, in its own transaction (the
    worker sends it once that commits, core.mail)."""
    department_head.email = "head@example.com"
    department_head.save()
    mails = DBTaskResult.objects.filter(task_path="core.mail.send_mail_task")
    empty = draft(archivist, [])
    refused("has no items", services.list_submit, disposal_list=empty, by=archivist)
    assert mails.count() == 0
    disposal_list = draft(archivist, [due_record(filed_record)])
    services.list_submit(disposal_list=disposal_list, by=archivist)
    assert mails.count() == 1
    assert mails.get().args_kwargs["args"][2] == ["head@example.com"]
