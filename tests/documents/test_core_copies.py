"""Lost copies (R-CTRL-3): remark 丢失 with the date, a new copy under a new
number on a new line. Damaged copies (R-CTRL-4): the same number, the same
line, no new line. Refusals change nothing."""
import datetime

import pytest
from django.utils import timezone, translation

from accounts.models import Notice
from documents.exceptions import DocumentsRefused
from documents.models import ControlledCopy, CopyState, DocumentState
from documents.reasons import DocumentsReason
from documents.services.copies import copy_reissue_lost, copy_replace_damaged, copy_report_damaged, copy_report_lost
from tests.documents.support import fresh, make_copy, make_document
from tests.factories import DepartmentFactory, UserFactory


@pytest.fixture(autouse=True)
def english(private_storage):
    """Messages and remarks in English (the Chinese comes with the lead's
    merge of the translations); files go to a temporary storage."""
    translation.activate("en")


@pytest.fixture
def signed(staff):
    return make_copy(make_document(state=DocumentState.IN_FORCE), recipient_user=staff, state=CopyState.SIGNED)


def lines():
    return list(ControlledCopy.objects.order_by("pk").values())


def today():
    return f"{timezone.localdate():%Y-%m-%d}"


def test_r_ctrl_3_a_lost_copy_keeps_its_line_with_the_date(signed, staff, archivist):
    copy_report_lost(copy=signed, by=staff, lost_on=timezone.localdate(), note="出差途中遗失")
    copy = fresh(signed)
    assert (copy.state, copy.lost_on) == (CopyState.LOST, timezone.localdate())
    assert copy.remark == f"{today()} lost: 出差途中遗失"
    latest = copy.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (staff, DocumentsReason.COPY_LOST)
    [told] = Notice.objects.filter(user=archivist)
    assert signed.control_number in told.text and "lost" in told.text


def test_r_ctrl_3_the_remark_is_chinese_for_a_chinese_reader(signed, staff):
    """The msgid's translation is merged by the lead: until then the test
    reads the English words, after it 丢失."""
    translation.activate("zh-hans")
    copy_report_lost(copy=signed, by=staff)
    remark = fresh(signed).remark
    assert remark.startswith(today()) and remark.split(" ", 1)[1] in {"丢失", "lost"}


def test_r_ctrl_3_the_archivist_reporting_is_not_told_again(signed, archivist):
    copy_report_lost(copy=signed, by=archivist)
    assert fresh(signed).state == CopyState.LOST
    assert not Notice.objects.exists()


def test_r_ctrl_3_a_new_copy_gets_a_new_number_on_a_new_line(signed, staff, archivist):
    copy_report_lost(copy=signed, by=staff)
    new_copy = copy_reissue_lost(copy=signed, by=archivist)
    lost = fresh(signed)
    assert new_copy.pk != lost.pk and new_copy.replaces == lost
    assert new_copy.copy_number == lost.copy_number + 1 and new_copy.control_number != lost.control_number
    assert (new_copy.recipient_user, new_copy.state, new_copy.issued_by) == (staff, CopyState.ISSUED, archivist)
    assert lost.state == CopyState.LOST
    assert lost.remark.endswith(f"{today()} new copy {new_copy.control_number} issued")
    assert new_copy.remark == f"{today()} replaces lost copy {lost.control_number}"
    assert ControlledCopy.objects.count() == 2
    for line in (lost, new_copy):
        latest = line.history.latest()
        assert (latest.history_user, latest.history_change_reason) == (archivist, DocumentsReason.COPY_REPLACED_LOST)
    assert Notice.objects.filter(user=staff, text__contains=new_copy.control_number).exists()


def test_r_ctrl_3_a_lost_copy_is_reissued_once(signed, staff, archivist):
    copy_report_lost(copy=signed, by=staff)
    new_copy = copy_reissue_lost(copy=signed, by=archivist)
    before = lines()
    with pytest.raises(DocumentsRefused, match=f"already issued for lost copy {signed.control_number}"):
        copy_reissue_lost(copy=signed, by=archivist)
    assert lines() == before and new_copy.control_number in str(before)


def test_r_ctrl_3_no_new_copy_for_a_copy_not_lost_or_of_a_void_document(signed, staff, archivist):
    with pytest.raises(DocumentsRefused, match="not lost"):
        copy_reissue_lost(copy=signed, by=archivist)
    void = make_copy(make_document(state=DocumentState.VOID), recipient_user=staff, state=CopyState.LOST)
    before = lines()
    with pytest.raises(DocumentsRefused, match="is Void: no copies can be issued"):
        copy_reissue_lost(copy=void, by=archivist)
    with pytest.raises(DocumentsRefused, match="Only the archivist"):
        copy_reissue_lost(copy=void, by=staff)
    assert lines() == before


@pytest.mark.parametrize("state", [CopyState.RECALLED, CopyState.RETURNED, CopyState.DESTROYED, CopyState.LOST])
def test_r_ctrl_3_a_copy_no_longer_out_cannot_be_reported_lost(staff, archivist, state):
    copy = make_copy(make_document(state=DocumentState.VOID), recipient_user=staff, state=state, holder=staff)
    before = lines()
    with pytest.raises(DocumentsRefused, match="it cannot be reported lost"):
        copy_report_lost(copy=copy, by=staff)
    with pytest.raises(DocumentsRefused, match="it cannot be reported lost"):
        copy_report_lost(copy=copy, by=archivist)
    assert lines() == before and not Notice.objects.exists()


def test_r_ctrl_3_only_the_holder_or_the_archivist_reports(signed):
    before = lines()
    with pytest.raises(DocumentsRefused, match="Only the holder"):
        copy_report_lost(copy=signed, by=UserFactory())
    with pytest.raises(DocumentsRefused, match="Only the holder"):
        copy_report_damaged(copy=signed, by=UserFactory())
    assert lines() == before


def test_r_ctrl_3_the_day_of_the_loss_is_checked(signed, staff):
    before = lines()
    with pytest.raises(DocumentsRefused, match="future") as refused:
        copy_report_lost(copy=signed, by=staff, lost_on=timezone.localdate() + datetime.timedelta(days=1))
    assert refused.value.field == "lost_on"
    with pytest.raises(DocumentsRefused, match="before it was issued"):
        copy_report_lost(copy=signed, by=staff, lost_on=datetime.date(2000, 1, 1))
    assert lines() == before


def test_r_ctrl_3_a_department_copy_is_reported_by_the_member_who_signed(archivist):
    department = DepartmentFactory(code="QHB", name="企划部")
    member, other = UserFactory(department=department), UserFactory(department=department)
    copy = make_copy(make_document(), recipient_department=department, state=CopyState.SIGNED, holder=member)
    with pytest.raises(DocumentsRefused, match="Only the holder"):
        copy_report_lost(copy=copy, by=other)
    copy_report_lost(copy=copy, by=member)
    new_copy = copy_reissue_lost(copy=copy, by=archivist)
    assert (new_copy.recipient_department, new_copy.recipient_user, new_copy.holder) == (department, None, None)


# Damaged copies -----------------------------------------------------------------


def test_r_ctrl_4_a_damaged_copy_is_replaced_under_the_same_number_on_the_same_line(signed, staff, archivist):
    copy_report_damaged(copy=signed, by=staff, note="被水浸湿")
    reported = fresh(signed)
    assert reported.damage_reported_at is not None and reported.remark == f"{today()} reported damaged: 被水浸湿"
    assert Notice.objects.filter(user=archivist, text__contains=signed.control_number).exists()
    copy_replace_damaged(copy=signed, by=archivist)
    copy = fresh(signed)
    assert ControlledCopy.objects.count() == 1
    assert (copy.control_number, copy.copy_number, copy.state, copy.holder) == (
        signed.control_number, signed.copy_number, CopyState.SIGNED, staff
    )
    assert copy.times_replaced == 1 and copy.damage_reported_at is None
    assert copy.remark.splitlines() == [
        f"{today()} reported damaged: 被水浸湿",
        f"{today()} damaged, the damaged copy destroyed, replaced under the same number",
    ]
    reasons = list(copy.history.order_by("history_date").values_list("history_user", "history_change_reason"))
    assert reasons[-2:] == [
        (staff.pk, DocumentsReason.COPY_DAMAGE_REPORTED), (archivist.pk, DocumentsReason.COPY_REPLACED_DAMAGED)
    ]
    assert fresh(copy.document).last_copy_number == signed.copy_number


def test_r_ctrl_4_a_damage_report_is_made_once(signed, staff):
    copy_report_damaged(copy=signed, by=staff)
    before = lines()
    with pytest.raises(DocumentsRefused, match="already reported damaged"):
        copy_report_damaged(copy=signed, by=staff)
    assert lines() == before


@pytest.mark.parametrize("state", [CopyState.RECALLED, CopyState.LOST, CopyState.DESTROYED])
def test_r_ctrl_4_a_copy_no_longer_out_is_not_replaced(staff, archivist, state):
    copy = make_copy(make_document(state=DocumentState.IN_FORCE), recipient_user=staff, state=state)
    before = lines()
    with pytest.raises(DocumentsRefused, match="it cannot be replaced"):
        copy_replace_damaged(copy=copy, by=archivist)
    with pytest.raises(DocumentsRefused, match="it cannot be reported damaged"):
        copy_report_damaged(copy=copy, by=staff)
    assert lines() == before


def test_r_ctrl_4_only_the_archivist_replaces(signed, staff):
    before = lines()
    with pytest.raises(DocumentsRefused, match="Only the archivist"):
        copy_replace_damaged(copy=signed, by=staff)
    assert lines() == before
