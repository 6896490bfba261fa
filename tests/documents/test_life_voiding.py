"""Void, recall, return, destroy, the reference copy, reminders and lapse
(R-CTRL-5), through documents.services.voiding on rows made by the ORM."""
import datetime

import pytest
from django.utils import timezone, translation

from accounts.models import Department, Notice
from documents import selectors
from documents.exceptions import DocumentsRefused
from documents.models import ControlledCopy, CopyState, DocumentsPolicy, DocumentState
from documents.reasons import DocumentsReason
from documents.services import voiding
from tests.documents.support import fresh, make_copy, make_document
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = f"{timezone.localdate():%Y-%m-%d}"


@pytest.fixture
def in_force(private_storage, archivist):
    return make_document(state=DocumentState.IN_FORCE, distributed_at=timezone.now())


def snapshot():
    """Everything a refused step must leave as it was."""
    from documents.models import ControlledDocument

    return {
        "documents": list(ControlledDocument.objects.order_by("pk").values()),
        "copies": list(ControlledCopy.objects.order_by("pk").values()),
        "document_history": ControlledDocument.history.count(),
        "copy_history": ControlledCopy.history.count(),
        "notices": Notice.objects.count(),
    }


def test_r_ctrl_5_void_recalls_every_copy_out_with_remark_and_notice(in_force, archivist):
    signed = make_copy(in_force, state=CopyState.SIGNED)
    issued = make_copy(in_force)
    lost = make_copy(in_force, state=CopyState.LOST, remark="2026-01-02 丢失")
    with translation.override("en"):
        voiding.document_void(document=in_force, by=archivist, reason="被新规定取代")

    document = fresh(in_force)
    assert document.state == DocumentState.VOID
    assert (document.ended_by, document.end_reason) == (archivist, "被新规定取代")
    assert document.ended_at is not None
    for copy in (signed, issued):
        copy = fresh(copy)
        assert copy.state == CopyState.RECALLED and copy.recalled_at is not None
        assert copy.remark == f"{TODAY} void, recalled"
        row = copy.history.latest()
        assert (row.history_user, row.history_change_reason) == (archivist, DocumentsReason.COPY_RECALLED)
    assert fresh(lost).state == CopyState.LOST and fresh(lost).remark == "2026-01-02 丢失"
    history = document.history.latest()
    assert (history.history_user, history.history_change_reason) == (archivist, DocumentsReason.VOIDED)
    for copy in (signed, issued):
        [notice] = Notice.objects.filter(user=copy.recipient_user)
        assert copy.control_number in notice.text and "return" in notice.text
        assert in_force.title not in notice.text
    assert not Notice.objects.filter(user=lost.recipient_user).exists()


def test_r_ctrl_5_recall_tells_the_department_when_nobody_signed_for_it(in_force, archivist):
    department = Department.objects.create(code="CWB", name="财务部")
    members = [UserFactory(department=department) for _ in range(2)]
    UserFactory(department=department, is_active=False)
    copy = make_copy(in_force, recipient_department=department)
    voiding.document_void(document=in_force, by=archivist, reason="作废")
    assert sorted(Notice.objects.values_list("user_id", flat=True)) == sorted(member.pk for member in members)
    assert all(copy.control_number in text for text in Notice.objects.values_list("text", flat=True))


@pytest.mark.parametrize(
    "state", [DocumentState.VOID, DocumentState.SUPERSEDED, DocumentState.LAPSED, DocumentState.AWAITING_COUNTERSIGN]
)
def test_r_ctrl_5_void_refused_for_an_ended_document_changes_nothing(private_storage, archivist, state):
    document = make_document(state=state)
    make_copy(document, state=CopyState.SIGNED)
    before = snapshot()
    with pytest.raises(DocumentsRefused):
        voiding.document_void(document=document, by=archivist, reason="作废")
    assert snapshot() == before


def test_r_ctrl_5_a_document_past_its_date_is_lapsed_not_voided(private_storage, archivist):
    document = make_document(state=DocumentState.IN_FORCE, valid_until=timezone.localdate() - datetime.timedelta(days=1))
    make_copy(document, state=CopyState.SIGNED)
    before = snapshot()
    with pytest.raises(DocumentsRefused, match="lapsed"):
        with translation.override("en"):
            voiding.document_void(document=document, by=archivist, reason="作废")
    assert snapshot() == before


@pytest.mark.parametrize("who", ["staff", "department_head"])
def test_r_ctrl_5_only_the_archivist_voids(in_force, request, who):
    make_copy(in_force, state=CopyState.SIGNED)
    before = snapshot()
    with pytest.raises(DocumentsRefused):
        voiding.document_void(document=in_force, by=request.getfixturevalue(who), reason="作废")
    assert snapshot() == before


def test_r_ctrl_5_void_needs_a_reason(in_force, archivist):
    before = snapshot()
    with pytest.raises(DocumentsRefused) as refused:
        voiding.document_void(document=in_force, by=archivist, reason="  ")
    assert refused.value.field == "end_reason"
    assert snapshot() == before


def _recalled(document, archivist, count=1):
    copies = [make_copy(document, state=CopyState.SIGNED) for _ in range(count)]
    voiding.document_void(document=document, by=archivist, reason="作废")
    return [fresh(copy) for copy in copies]


def test_r_ctrl_5_returned_copy_is_destroyed_and_the_register_says_so(in_force, archivist):
    with translation.override("en"):
        [copy] = _recalled(in_force, archivist)
        voiding.copy_return(copy=copy, by=archivist)
        returned = fresh(copy)
        assert (returned.state, returned.returned_to) == (CopyState.RETURNED, archivist)
        voiding.copy_destroy(copy=copy, by=archivist)
    destroyed = fresh(copy)
    assert (destroyed.state, destroyed.destroyed_by) == (CopyState.DESTROYED, archivist)
    assert destroyed.remark.splitlines() == [f"{TODAY} void, recalled", f"{TODAY} returned", f"{TODAY} destroyed"]
    reasons = list(destroyed.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons[-2:] == [DocumentsReason.COPY_RETURNED, DocumentsReason.COPY_DESTROYED]
    assert not selectors.outstanding_recalls().exists()


@pytest.mark.parametrize(
    "step,state",
    [
        ("copy_return", CopyState.SIGNED),
        ("copy_return", CopyState.RETURNED),
        ("copy_destroy", CopyState.RECALLED),
        ("copy_destroy", CopyState.SIGNED),
        ("copy_keep_for_reference", CopyState.RECALLED),
        ("copy_keep_for_reference", CopyState.DESTROYED),
    ],
)
def test_r_ctrl_5_copy_steps_refused_in_the_wrong_state(in_force, archivist, step, state):
    copy = make_copy(in_force, state=state)
    before = snapshot()
    with pytest.raises(DocumentsRefused):
        getattr(voiding, step)(copy=copy, by=archivist)
    assert snapshot() == before


def test_r_ctrl_5_one_reference_copy_is_kept_marked_void(in_force, archivist):
    first, second = _recalled(in_force, archivist, count=2)
    for copy in (first, second):
        voiding.copy_return(copy=copy, by=archivist)
    with translation.override("en"):
        voiding.copy_keep_for_reference(copy=first, by=archivist)
    kept = fresh(first)
    assert kept.state == CopyState.REFERENCE
    assert kept.remark.splitlines()[-1] == f"{TODAY} kept for reference, void"
    assert kept.history.latest().history_change_reason == DocumentsReason.COPY_KEPT_FOR_REFERENCE
    before = snapshot()
    with pytest.raises(DocumentsRefused, match=first.control_number):
        voiding.copy_keep_for_reference(copy=second, by=archivist)
    assert snapshot() == before


def test_r_ctrl_5_copy_steps_only_by_the_archivist(in_force, archivist, staff):
    [copy] = _recalled(in_force, archivist)
    before = snapshot()
    with pytest.raises(DocumentsRefused):
        voiding.copy_return(copy=copy, by=staff)
    assert snapshot() == before


def _age_recall(copy, days, reminded_days=None):
    now = timezone.now()
    ControlledCopy.objects.filter(pk=copy.pk).update(
        recalled_at=now - datetime.timedelta(days=days),
        last_reminded_at=None if reminded_days is None else now - datetime.timedelta(days=reminded_days),
    )


def test_r_ctrl_5_daily_reminders_follow_the_policy_interval(in_force, archivist):
    old, fresh_recall, reminded_lately = _recalled(in_force, archivist, count=3)
    _age_recall(old, 8)
    _age_recall(fresh_recall, 2)
    _age_recall(reminded_lately, 30, reminded_days=3)
    Notice.objects.all().delete()

    assert voiding.send_recall_reminders() == 1
    assert list(Notice.objects.values_list("user_id", flat=True)) == [old.recipient_user_id]
    assert old.control_number in Notice.objects.get().text
    row = fresh(old).history.latest()
    assert row.history_change_reason == DocumentsReason.COPY_RECALL_REMINDED
    assert voiding.send_recall_reminders() == 0  # reminded today: not again tomorrow

    policy = DocumentsPolicy.current()
    policy.recall_reminder_days = 2
    policy.save()
    assert voiding.send_recall_reminders() == 2  # the policy read anew: the other two are due now
    assert set(Notice.objects.values_list("user_id", flat=True)) == {
        copy.recipient_user_id for copy in (old, fresh_recall, reminded_lately)
    }


def test_r_ctrl_5_returned_copies_are_not_reminded(in_force, archivist):
    [copy] = _recalled(in_force, archivist)
    voiding.copy_return(copy=copy, by=archivist)
    _age_recall(copy, 30)
    assert voiding.send_recall_reminders() == 0


def test_r_ctrl_5_remind_now_reminds_at_once(in_force, archivist, staff):
    first, second = _recalled(in_force, archivist, count=2)
    voiding.copy_return(copy=second, by=archivist)
    Notice.objects.all().delete()
    before = snapshot()
    with pytest.raises(DocumentsRefused):
        voiding.recall_remind(document=in_force, by=staff)
    assert snapshot() == before

    assert voiding.recall_remind(document=in_force, by=archivist) == 1
    assert list(Notice.objects.values_list("user_id", flat=True)) == [first.recipient_user_id]
    row = fresh(first).history.latest()
    assert (row.history_user, row.history_change_reason) == (archivist, DocumentsReason.COPY_RECALL_REMINDED)
    assert fresh(first).last_reminded_at is not None


def test_r_ctrl_5_time_limited_documents_lapse_without_recall(private_storage, archivist):
    today = timezone.localdate()
    last_day = today - datetime.timedelta(days=1)
    due = make_document(state=DocumentState.IN_FORCE, valid_until=last_day)
    still_valid = make_document(state=DocumentState.IN_FORCE, valid_until=today)
    signed, issued = make_copy(due, state=CopyState.SIGNED), make_copy(due)
    valid_copy = make_copy(still_valid, state=CopyState.SIGNED)

    assert list(selectors.valid_documents(today)) == [still_valid]  # lapsed before the job ran
    with translation.override("en"):
        assert voiding.documents_lapse_due(today) == 1
    lapsed = fresh(due)
    assert lapsed.state == DocumentState.LAPSED
    assert timezone.localtime(lapsed.ended_at).date() == today
    assert lapsed.history.latest().history_change_reason == DocumentsReason.LAPSED
    for copy in (signed, issued):
        copy = fresh(copy)
        assert copy.state == CopyState.LAPSED and copy.recalled_at is None
        assert copy.remark == f"{today:%Y-%m-%d} lapsed"
        assert copy.history.latest().history_change_reason == DocumentsReason.COPY_LAPSED
    assert fresh(valid_copy).state == CopyState.SIGNED
    assert not Notice.objects.exists()  # no recall, nobody told
    assert not selectors.outstanding_recalls().exists()
    assert voiding.documents_lapse_due(today) == 0


def test_r_ctrl_5_daily_jobs_are_registered():
    from jobs import schedule

    paths = {task.module_path for task, _at in schedule._daily}
    assert {"documents.tasks.send_recall_reminders_daily", "documents.tasks.lapse_documents_daily"} <= paths


def test_r_ctrl_5_the_daily_jobs_run_in_the_worker(private_storage, archivist, run_jobs):
    from documents.tasks import lapse_documents_daily, send_recall_reminders_daily

    due = make_document(state=DocumentState.IN_FORCE, valid_until=timezone.localdate() - datetime.timedelta(days=1))
    voided = make_document(state=DocumentState.IN_FORCE)
    [copy] = _recalled(voided, archivist)
    _age_recall(copy, 30)
    Notice.objects.all().delete()
    lapse_documents_daily.enqueue()
    send_recall_reminders_daily.enqueue()
    assert run_jobs() == 2
    assert fresh(due).state == DocumentState.LAPSED
    assert fresh(copy).last_reminded_at is not None
    assert list(Notice.objects.values_list("user_id", flat=True)) == [copy.recipient_user_id]


def test_r_ctrl_5_the_register_remarks_read_in_chinese(in_force, archivist):
    from django.utils.translation import pgettext

    with translation.override("zh-hans"):
        if pgettext("distribution register remark", "kept for reference, void") == "kept for reference, void":
            pytest.skip("the LIFE msgids wait for the lead's merge of /tmp/po/ctrl-life.po")
        [copy] = _recalled(in_force, archivist)
        voiding.copy_return(copy=copy, by=archivist)
        voiding.copy_keep_for_reference(copy=copy, by=archivist)
    assert fresh(copy).remark.splitlines() == [f"{TODAY} 作废，待收回", f"{TODAY} 收回", f"{TODAY} 作废留存"]
