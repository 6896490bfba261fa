"""Handled items leave the counters (issue 16 point 4), for a destruction
(R-DISP-3): each witness's "please confirm" clears when that witness
confirms, is replaced, or the list is returned or executed; "it can be
executed" (to whoever recorded it) and the drafter's "record the
destruction and execute it" clear at execution, at a return, and when the
witnesses' confirmations are withdrawn; a returned list's notice to its
drafter clears when it is submitted again."""
import pytest

from accounts.models import Notice
from accounts.notices import unread_count
from accounts.roles import Role
from disposal import notices as disposal_notices
from disposal import services
from disposal.models import ListState
from tests.conftest import make_user
from tests.disposal.support import approved, confirmed, due_record, fresh, record_destruction, submitted, witnesses
from tests.notices_support import header_notice_count


@pytest.fixture
def people():
    return witnesses("witness_a", "witness_b")


@pytest.fixture
def ready(archivist, department_head, leadership, filed_record):
    """A list of two due records approved by leadership."""
    return approved(archivist, department_head, leadership, [due_record(filed_record) for _ in range(2)])


def unread_subjects(user):
    return set(Notice.objects.filter(user=user, read_at=None).values_list("subject", flat=True))


def current_witnesses(destruction):
    return list(destruction.witnesses.filter(replaced_at__isnull=True).select_related("user").order_by("pk"))


def test_r_disp_3_each_witness_confirming_clears_their_own_notice_and_header(client, archivist, ready, people):
    destruction = record_destruction(ready, archivist, people)
    first, second = current_witnesses(destruction)
    assert [unread_count(person) for person in people] == [1, 1]
    assert unread_subjects(first.user) == {disposal_notices.witness_subject(first)}
    assert header_notice_count(client, first.user) == 1

    services.witness_confirm(witness=first, by=first.user)
    assert [unread_count(person) for person in people] == [0, 1]
    assert header_notice_count(client, first.user) == 0
    services.witness_confirm(witness=second, by=second.user)
    assert [unread_count(person) for person in people] == [0, 0]


def test_r_disp_3_execution_clears_it_can_be_executed_for_the_recorder_and_the_drafter(
    client, archivist, ready, people
):
    execution = disposal_notices.execution_subject(ready)
    # Leadership's approval asked the drafter to record the destruction and
    # execute it; the head's approval before it was news (no subject).
    assert unread_subjects(archivist) == {execution, ""}
    confirmed(ready, archivist, people)
    assert Notice.objects.filter(user=archivist, read_at=None, subject=execution).count() == 2
    assert header_notice_count(client, archivist) == 3
    services.list_execute(disposal_list=ready, by=archivist)
    assert unread_subjects(archivist) == {""}
    assert header_notice_count(client, archivist) == 1


def test_r_disp_3_a_replaced_witness_has_nothing_left_to_confirm(archivist, ready, people):
    record_destruction(ready, archivist, people)
    newcomer = make_user(Role.STAFF, "witness_c")
    record_destruction(ready, archivist, [people[0], newcomer])
    assert [unread_count(person) for person in (*people, newcomer)] == [1, 0, 1]


def test_r_disp_3_a_returned_list_clears_the_witnesses_and_the_execution_notices(archivist, ready, people):
    destruction = record_destruction(ready, archivist, people)
    first, _second = current_witnesses(destruction)
    services.witness_confirm(witness=first, by=first.user)
    services.list_return(disposal_list=ready, by=archivist, reason="清册有误，请重新鉴定")
    assert [unread_count(person) for person in people] == [0, 0]
    # The archivist returned their own list: nobody is told; "execute it" is gone.
    assert unread_subjects(archivist) == {""}


def test_r_disp_1_a_returned_list_waits_for_its_drafter_until_submitted_again(
    archivist, department_head, filed_record
):
    disposal_list = submitted(archivist, [due_record(filed_record)])
    services.list_return(disposal_list=disposal_list, by=department_head, reason="请补充鉴定意见")
    assert unread_subjects(archivist) == {disposal_notices.approval_subject(disposal_list)}
    services.list_submit(disposal_list=fresh(disposal_list), by=archivist)
    assert unread_count(archivist) == 0 and unread_count(department_head) == 1


def test_r_disp_3_withdrawn_confirmations_clear_it_can_be_executed_until_confirmed_again(
    archivist, ready, people
):
    confirmed(ready, archivist, people)
    Notice.objects.filter(user=archivist).update(read_at=None)
    record_destruction(ready, archivist, people, place="三楼会议室")  # the facts changed: confirm again
    assert fresh(ready).state == ListState.LEADERSHIP_APPROVED
    assert disposal_notices.execution_subject(ready) not in unread_subjects(archivist)
    assert [unread_count(person) for person in people] == [1, 1]
