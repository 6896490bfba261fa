"""The department head's and leadership's signatures (R-DISP-1, R-DISP-2):
who signs, what each signature carries out, and the refusals (one's own
list, twice, two approvers at once, a record lent, held or changed since
listing), each leaving everything as it was."""

import pytest
from django.contrib.auth.models import Permission
from django.utils import translation

from accounts.models import Notice
from accounts.roles import Role
from disposal import services
from disposal.exceptions import DisposalRefused
from disposal.models import DisposalList, ItemAction, ListKind, ListState
from records.models import RecordStatus
from records.services import hold_place, record_check_out
from tests.concurrency import at_once
from tests.conftest import make_user
from tests.disposal.support import draft, due_record, fresh, head_approved, refused, state, submitted


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# --- weeding (R-DISP-1) ------------------------------------------------------


def test_r_disp_1_head_approval_weeds_and_ends_a_weeding_list(archivist, department_head, filed_record):
    records = [filed_record(year=2024, retention_years=30) for _ in range(2)]
    disposal_list = submitted(archivist, records, kind=ListKind.WEEDING)
    approved = services.list_approve(disposal_list=disposal_list, by=department_head)
    assert (approved.state, approved.head_approved_by, approved.executed_by) == (
        ListState.EXECUTED, department_head, department_head
    )
    assert {fresh(record).status for record in records} == {RecordStatus.WEEDED}
    assert all(item.carried_out_at for item in approved.items.all())
    assert approved.items.first().history.first().history_change_reason == "disposal_item_carried_out"
    assert Notice.objects.filter(user=archivist, text__contains="was approved by").count() == 1


def test_r_disp_1_weeded_records_are_due_on_the_next_appraisal_list_for_destruction(
    archivist, department_head, filed_record
):
    record = filed_record(year=2024, retention_years=30)
    weeding = submitted(archivist, [record], kind=ListKind.WEEDING)
    services.list_approve(disposal_list=weeding, by=department_head)
    appraisal = draft(archivist, [], year=2024)
    refused("can only be destroyed", services.list_add_items, disposal_list=appraisal, records=[record],
            by=archivist, action=ItemAction.EXTEND, extend_years=5, reason="x")
    services.list_add_items(disposal_list=appraisal, records=[record], by=archivist, action=ItemAction.DESTROY)
    assert appraisal.items.get().listed_status == RecordStatus.WEEDED


def test_r_disp_1_the_head_strikes_a_weeding_item_off(archivist, department_head, filed_record):
    kept, weeded = filed_record(year=2024), filed_record(year=2024)
    disposal_list = submitted(archivist, [kept, weeded], kind=ListKind.WEEDING)
    services.item_strike(item=disposal_list.items.get(record=kept), by=department_head, reason="有参考价值")
    services.list_approve(disposal_list=disposal_list, by=department_head)
    assert (fresh(kept).status, fresh(weeded).status) == (RecordStatus.FILED, RecordStatus.WEEDED)


# --- appraisal (R-DISP-2) ----------------------------------------------------


def test_r_disp_2_head_approval_extends_and_keeps_then_waits_for_leadership(
    archivist, department_head, leadership, filed_record
):
    extended, kept, destroyed = (due_record(filed_record) for _ in range(3))
    disposal_list = draft(archivist, [destroyed])
    services.list_add_items(disposal_list=disposal_list, records=[extended], by=archivist,
                            action=ItemAction.EXTEND, extend_years=5, reason="诉讼时效未过")
    services.list_add_items(disposal_list=disposal_list, records=[kept], by=archivist,
                            action=ItemAction.KEEP_PERMANENTLY)
    disposal_list = services.list_submit(disposal_list=disposal_list, by=archivist)
    approved = services.list_approve(disposal_list=disposal_list, by=department_head)
    assert approved.state == ListState.HEAD_APPROVED
    extended, kept, destroyed = fresh(extended), fresh(kept), fresh(destroyed)
    assert (extended.retention_extended_years, extended.retention_expires_on.year) == (5, 2015)
    assert kept.retention_years is None
    assert destroyed.status == RecordStatus.FILED  # destroyed only at execution
    # Leadership is told it waits for them.
    assert Notice.objects.filter(user=leadership, text__contains="final approval").count() == 1
    final = services.list_approve(disposal_list=approved, by=leadership)
    assert (final.state, final.leadership_approved_by) == (ListState.LEADERSHIP_APPROVED, leadership)
    assert Notice.objects.filter(user=archivist, text__contains="record the destruction").count() == 1


def test_r_disp_2_a_list_that_only_transfers_needs_no_leadership(archivist, department_head, filed_record):
    disposal_list = head_approved(archivist, department_head, [due_record(filed_record)],
                                  action=ItemAction.TRANSFER, receiving_body="集团档案馆")
    assert disposal_list.state == ListState.HEAD_APPROVED
    leader = make_user(Role.LEADERSHIP, "leader2")
    refused("not waiting for an approval", services.list_approve, disposal_list=disposal_list, by=leader)


def test_r_disp_2_a_list_that_only_extends_is_done_at_the_heads_approval(archivist, department_head, filed_record):
    disposal_list = head_approved(archivist, department_head, [due_record(filed_record)],
                                  action=ItemAction.EXTEND, extend_years=3, reason="仍需查考")
    assert disposal_list.state == ListState.EXECUTED


# --- refusals ----------------------------------------------------------------


def test_r_disp_2_nobody_approves_a_list_they_drafted(archivist, filed_record):
    """The drafter holding the head's permission too is refused."""
    archivist.user_permissions.add(Permission.objects.get(codename="approve_disposal"))
    archivist = fresh(archivist)
    disposal_list = submitted(archivist, [due_record(filed_record)])
    refused("You drafted list", services.list_approve, disposal_list=disposal_list, by=archivist)


def test_r_disp_2_approving_twice_is_refused(archivist, department_head, filed_record):
    disposal_list = head_approved(archivist, department_head, [due_record(filed_record)])
    refused("already approved", services.list_approve, disposal_list=fresh(disposal_list), by=department_head)


def test_r_disp_2_nobody_signs_both_steps(archivist, department_head, filed_record):
    department_head.user_permissions.add(Permission.objects.get(codename="approve_destruction"))
    head = fresh(department_head)
    disposal_list = head_approved(archivist, head, [due_record(filed_record)])
    refused("already approved", services.list_approve, disposal_list=disposal_list, by=head)


def test_r_disp_2_a_second_approver_with_the_old_page_is_refused(archivist, department_head, filed_record):
    """Two heads open the same submitted list; the first signs; the second's
    copy is out of date and refused, naming the state it is in now."""
    other_head = make_user(Role.DEPARTMENT_HEAD, "other_head")
    disposal_list = submitted(archivist, [due_record(filed_record)])
    seen_by_other = fresh(disposal_list)
    services.list_approve(disposal_list=disposal_list, by=department_head)
    refused("changed while you were looking at it", services.list_approve, disposal_list=seen_by_other, by=other_head)


def test_r_disp_2_the_wrong_role_is_refused(archivist, leadership, staff, filed_record):
    disposal_list = submitted(archivist, [due_record(filed_record)])
    refused("Only the department head", services.list_approve, disposal_list=disposal_list, by=leadership)
    refused("Only the department head", services.list_approve, disposal_list=disposal_list, by=staff)


def test_r_disp_2_a_draft_is_not_approved(archivist, department_head, filed_record):
    disposal_list = draft(archivist, [due_record(filed_record)])
    refused("not waiting for an approval", services.list_approve, disposal_list=disposal_list, by=department_head)


@pytest.mark.parametrize("step", ["head", "leadership"])
@pytest.mark.parametrize("change", ["lent", "held"])
def test_r_disp_2_each_signature_rechecks_every_item(
    archivist, department_head, leadership, filed_record, step, change
):
    """A record lent or put on hold after submission (or after the head's
    approval) is refused with its archive number; nothing is signed."""
    calm, changed = due_record(filed_record), due_record(filed_record)
    disposal_list = submitted(archivist, [calm, changed])
    approver = department_head
    if step == "leadership":
        disposal_list = services.list_approve(disposal_list=disposal_list, by=department_head)
        approver = leadership
    if change == "lent":
        record_check_out(record=changed, reason="checked_out", by=archivist)
    else:
        hold_place(record=changed, by=department_head, reason="审计冻结")
    refusal = refused(changed.archive_number, services.list_approve, disposal_list=disposal_list, by=approver)
    assert calm.archive_number not in refusal.message


def test_r_disp_2_a_list_with_every_item_struck_is_not_approved(archivist, department_head, filed_record):
    disposal_list = submitted(archivist, [due_record(filed_record)])
    services.item_strike(item=disposal_list.items.get(), by=department_head, reason="保留")
    refused("Every item", services.list_approve, disposal_list=disposal_list, by=department_head)


@pytest.mark.django_db(transaction=True)
def test_r_disp_2_two_approvers_at_once_sign_once(archivist, filed_record):
    """Four heads, each with its own database connection and the list as
    it was read before anyone signed, approve at the same moment: one
    signature, three refusals, the extension carried out once."""
    heads = [make_user(Role.DEPARTMENT_HEAD, f"head{i}") for i in range(4)]
    record = due_record(filed_record)
    disposal_list = submitted(archivist, [record], action=ItemAction.EXTEND, extend_years=2, reason="仍需查考")

    def approver(head):
        def approve():
            as_read = DisposalList(pk=disposal_list.pk, state=ListState.SUBMITTED)
            services.list_approve(disposal_list=as_read, by=head)
            return head.pk
        return lambda outcomes: outcomes.attempt(approve, refusal=DisposalRefused)

    outcomes = at_once([approver(head) for head in heads])
    signed, refusals = outcomes.done, outcomes.refusals
    assert outcomes.errors == []
    assert len(signed) == 1 and len(refusals) == 3, refusals
    assert all("changed while you were looking at it" in message for message in refusals)
    final = fresh(disposal_list)
    assert (final.state, final.head_approved_by_id) == (ListState.EXECUTED, signed[0])
    assert fresh(record).retention_extended_years == 2
    assert final.history.filter(history_change_reason="disposal_list_head_approved").count() == 1
