"""Handled items leave the counters (issue 16 point 4), for controlled
copies: "please sign" / "one of you signs" clears for every member of the
addressed department once its copies are signed for (R-CTRL-2), or when
they can no longer be (recalled, lapsed, lost); "return your copy" once
the person has no recalled copy left to hand back (R-CTRL-5); the
archivists' "issue a new copy" / "replace it" once one of them replaced
the lost or damaged copy, or its document ended (R-CTRL-3, R-CTRL-4)."""
import datetime

import pytest
from django.utils import timezone

from accounts.models import Notice
from accounts.notices import unread_count
from documents import notices as documents_notices
from documents.models import DocumentState
from documents.services import copies as copy_services
from documents.services import voiding
from documents.services.distribution import copies_distribute, copy_record_paper_signature, copy_sign
from tests.documents.support import archivist_user, fresh, make_document
from tests.factories import DepartmentFactory, UserFactory
from tests.notices_support import header_notice_count


@pytest.fixture(autouse=True)
def storage(private_storage):
    """Every file goes to a temporary storage."""


@pytest.fixture
def sales(db):
    department = DepartmentFactory(code="XSB", name="销售部")
    members = [UserFactory(username=f"sales{n}", full_name=f"销售{n}", department=department) for n in (1, 2, 3)]
    return department, members


@pytest.fixture
def archivists(archivist):
    return [archivist, archivist_user("archivist2")]


def counts(people):
    return [unread_count(person) for person in people]


def unread_subjects(user):
    return set(Notice.objects.filter(user=user, read_at=None).values_list("subject", flat=True))


def test_r_ctrl_2_one_member_signing_clears_the_department_notice_for_every_member(client, archivist, sales):
    department, members = sales
    [copy] = copies_distribute(document=make_document(), by=archivist, recipients=[(department, 1)])
    assert counts(members) == [1, 1, 1]
    assert unread_subjects(members[2]) == {documents_notices.sign_subject(copy)}
    assert header_notice_count(client, members[2]) == 1

    copy_sign(copy=copy, by=members[0])
    assert counts(members) == [0, 0, 0]
    assert header_notice_count(client, members[2]) == 0


def test_r_ctrl_2_the_notice_stays_until_every_copy_issued_with_it_is_signed_for(archivist, sales):
    department, members = sales
    first, second = copies_distribute(document=make_document(), by=archivist, recipients=[(department, 2)])
    copy_sign(copy=first, by=members[0])
    assert counts(members) == [1, 1, 1]
    # The archivist records the other copy's paper signature (R-CTRL-1).
    copy_record_paper_signature(copy=second, by=archivist, signer=members[1])
    assert counts(members) == [0, 0, 0]


def test_r_ctrl_2_a_personal_copy_clears_its_own_document_only(archivist, staff):
    one, two = make_document(), make_document(title="印章管理规定")
    [copy] = copies_distribute(document=one, by=archivist, recipients=[(staff, 1)])
    [other] = copies_distribute(document=two, by=archivist, recipients=[(staff, 1)])
    assert unread_count(staff) == 2
    copy_sign(copy=copy, by=staff)
    assert unread_subjects(staff) == {documents_notices.sign_subject(other)}


def test_r_ctrl_5_a_void_document_clears_signing_and_its_return_clears_every_member(client, archivist, sales, staff):
    department, members = sales
    document = make_document()
    [unsigned] = copies_distribute(document=document, by=archivist, recipients=[(department, 1)])
    [held] = copies_distribute(document=document, by=archivist, recipients=[(staff, 1)])
    copy_sign(copy=held, by=staff)
    Notice.objects.update(read_at=timezone.now())

    voiding.document_void(document=document, by=archivist, reason="制度废止")
    # Recalled: nobody signs for the department's copy any more; everyone holding one is told to return it.
    assert {documents_notices.return_subject(member) for member in members} == {
        subject for member in members for subject in unread_subjects(member)
    }
    assert counts([*members, staff]) == [1, 1, 1, 1]

    voiding.copy_return(copy=fresh(unsigned), by=archivist)
    assert counts([*members, staff]) == [0, 0, 0, 1]
    assert header_notice_count(client, members[0]) == 0
    voiding.copy_return(copy=fresh(held), by=archivist)
    assert unread_count(staff) == 0


def test_r_ctrl_5_the_return_notice_stays_while_another_recalled_copy_is_out(archivist, staff):
    one, two = make_document(), make_document(title="印章管理规定")
    [first] = copies_distribute(document=one, by=archivist, recipients=[(staff, 1)])
    copies_distribute(document=two, by=archivist, recipients=[(staff, 1)])
    Notice.objects.update(read_at=timezone.now())
    voiding.document_void(document=one, by=archivist, reason="制度废止")
    voiding.document_void(document=two, by=archivist, reason="制度废止")
    assert unread_count(staff) == 2
    voiding.copy_return(copy=fresh(first), by=archivist)
    assert unread_count(staff) == 2  # still a copy of the other document to hand back
    voiding.recall_remind(document=two, by=archivist)
    [second] = fresh(two).copies.all()
    voiding.copy_return(copy=second, by=archivist)
    assert unread_count(staff) == 0


def test_r_ctrl_5_a_lapsed_document_leaves_nothing_to_sign(archivist, sales):
    department, members = sales
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    document = make_document(valid_until=yesterday + datetime.timedelta(days=1))
    copies_distribute(document=document, by=archivist, recipients=[(department, 1)])
    assert counts(members) == [1, 1, 1]
    assert voiding.documents_lapse_due(timezone.localdate() + datetime.timedelta(days=2)) == 1
    assert counts(members) == [0, 0, 0]


def test_r_ctrl_3_one_archivist_reissuing_a_lost_copy_clears_it_for_every_archivist(
    client, archivists, staff
):
    [copy] = copies_distribute(document=make_document(), by=archivists[0], recipients=[(staff, 1)])
    copy_sign(copy=copy, by=staff)
    copy_services.copy_report_lost(copy=fresh(copy), by=staff)
    assert counts(archivists) == [1, 1]
    assert unread_subjects(archivists[1]) == {documents_notices.copy_subject(copy)}
    assert header_notice_count(client, archivists[1]) == 1

    new_copy = copy_services.copy_reissue_lost(copy=fresh(copy), by=archivists[0])
    assert counts(archivists) == [0, 0]
    assert header_notice_count(client, archivists[1]) == 0
    # The new copy asks its recipient to sign for it, until they do.
    assert unread_subjects(staff) == {documents_notices.sign_subject(new_copy)}
    copy_sign(copy=new_copy, by=staff)
    assert unread_count(staff) == 0


def test_r_ctrl_4_one_archivist_replacing_a_damaged_copy_clears_it_for_every_archivist(archivists, staff):
    [copy] = copies_distribute(document=make_document(), by=archivists[0], recipients=[(staff, 1)])
    copy_sign(copy=copy, by=staff)
    copy_services.copy_report_damaged(copy=fresh(copy), by=staff, note="水渍")
    assert counts(archivists) == [1, 1]
    copy_services.copy_replace_damaged(copy=fresh(copy), by=archivists[1])
    assert counts(archivists) == [0, 0]


def test_r_ctrl_5_a_void_document_settles_its_lost_and_damaged_copies(archivists, staff, sales):
    _department, members = sales
    document = make_document()
    lost, damaged = copies_distribute(document=document, by=archivists[0], recipients=[(staff, 1), (members[0], 1)])
    copy_sign(copy=lost, by=staff)
    copy_sign(copy=damaged, by=members[0])
    copy_services.copy_report_lost(copy=fresh(lost), by=staff)
    copy_services.copy_report_damaged(copy=fresh(damaged), by=members[0])
    assert counts(archivists) == [2, 2]
    voiding.document_void(document=document, by=archivists[0], reason="制度废止")
    assert fresh(document).state == DocumentState.VOID
    assert counts(archivists) == [0, 0]
