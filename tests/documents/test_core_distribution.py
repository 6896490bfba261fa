"""Distributing a controlled document (R-CTRL-1, R-CTRL-2): copies per the
distribution list, each with its own controlled number after the policy's
pattern, without gaps; who may sign for a copy; refusals change nothing."""
import sys
import types
from unittest import mock

import pytest
from django.utils import translation

from accounts.models import Notice
from documents.exceptions import DocumentsRefused
from documents.models import ControlledCopy, ControlledDocument, CopyState, DocumentsPolicy, DocumentState
from documents.reasons import DocumentsReason
from documents.services.distribution import copies_distribute, copy_record_paper_signature, copy_sign
from tests.documents.support import fresh, make_copy, make_document
from tests.factories import DepartmentFactory, UserFactory


@pytest.fixture(autouse=True)
def english(private_storage):
    """Refusals read in English (the Chinese comes with the lead's merge of
    the translations); every file goes to a temporary storage."""
    translation.activate("en")


@pytest.fixture
def sales(db):
    """A department with two active members and one who has left."""
    department = DepartmentFactory(code="XSB", name="销售部")
    members = [UserFactory(username=f"sales{n}", full_name=f"销售{n}", department=department) for n in (1, 2)]
    UserFactory(username="sales-gone", department=department, is_active=False)
    return department, members


def snapshot(document):
    return {
        "document": ControlledDocument.objects.filter(pk=document.pk).values().get(),
        "copies": list(ControlledCopy.objects.order_by("pk").values()),
        "notices": Notice.objects.count(),
    }


def test_r_ctrl_2_every_copy_gets_its_own_number_without_gaps(archivist, staff, sales):
    department, _members = sales
    document = make_document()
    first = copies_distribute(document=document, by=archivist, recipients=[(staff, 2), (department, 1)])
    second = copies_distribute(document=document, by=archivist, recipients=[(UserFactory(), 1)])
    prefix = f"SK-{document.year}-{document.serial:03d}"
    assert [copy.control_number for copy in first + second] == [f"{prefix}-{n:02d}" for n in (1, 2, 3, 4)]
    assert [(copy.recipient_user, copy.recipient_department) for copy in first] == [
        (staff, None), (staff, None), (None, department)
    ]
    assert {copy.state for copy in first + second} == {CopyState.ISSUED}
    assert fresh(document).last_copy_number == 4


def test_r_ctrl_2_numbers_follow_the_policy_pattern(archivist, staff):
    policy = DocumentsPolicy.current()
    policy.control_number_pattern = "受控{year}-{document}/{copy:03d}"
    policy.save()
    document = make_document()
    [copy] = copies_distribute(document=document, by=archivist, recipients=[(staff, 1)])
    assert copy.control_number == f"受控{document.year}-{document.serial}/001"


def test_r_ctrl_2_numbers_run_per_document(archivist, staff):
    one, two = make_document(), make_document(title="印章管理规定")
    copies_distribute(document=one, by=archivist, recipients=[(staff, 2)])
    [copy] = copies_distribute(document=two, by=archivist, recipients=[(staff, 1)])
    assert copy.copy_number == 1 and copy.control_number.endswith(f"-{two.serial:03d}-01")


def test_r_ctrl_1_first_distribution_puts_the_document_in_force_with_history(archivist, staff):
    document = make_document()
    [copy] = copies_distribute(document=document, by=archivist, recipients=[(staff, 1)])
    document = fresh(document)
    assert document.state == DocumentState.IN_FORCE and document.distributed_at is not None
    latest = document.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (archivist, DocumentsReason.DISTRIBUTED)
    issued = copy.history.get()
    assert (issued.history_user, issued.history_change_reason) == (archivist, DocumentsReason.COPY_ISSUED)
    assert (copy.issued_by, copy.document_id) == (archivist, document.pk)
    # A later distribution leaves the date of the first.
    copies_distribute(document=document, by=archivist, recipients=[(UserFactory(), 1)])
    assert fresh(document).distributed_at == document.distributed_at


def test_r_ctrl_1_recipients_are_told_to_sign(archivist, staff, sales):
    department, members = sales
    document = make_document()
    copies_distribute(document=document, by=archivist, recipients=[(staff, 2), (department, 1)])
    [told] = Notice.objects.filter(user=staff)
    assert "-01" in told.text and "-02" in told.text and document.title in told.text
    assert set(Notice.objects.filter(text__contains="销售部").values_list("user__username", flat=True)) == {
        "sales1", "sales2"
    }


def test_r_ctrl_6_distributing_a_revision_supersedes_the_previous_one(archivist, staff):
    previous = make_document(state=DocumentState.IN_FORCE)
    revision = make_document(supersedes=previous, revision=2)
    supersede = mock.Mock()
    fake = types.ModuleType("documents.services.revisions")
    fake.supersede_previous = supersede
    with mock.patch.dict(sys.modules, {"documents.services.revisions": fake}):
        copies_distribute(document=revision, by=archivist, recipients=[(staff, 1)])
        copies_distribute(document=revision, by=archivist, recipients=[(staff, 1)])
    supersede.assert_called_once()
    assert supersede.call_args.kwargs["document"].pk == revision.pk and supersede.call_args.kwargs["by"] == archivist


def _inactive(staff, sales):
    staff.is_active = False
    staff.save()
    return [(staff, 1)]


def _emptied_department(staff, sales):
    department, members = sales
    for member in members:
        member.is_active = False
        member.save()
    return [(department, 1)]


@pytest.mark.parametrize(
    ("recipients", "words"),
    [
        (lambda staff, sales: [], "distribution list is empty"),
        (lambda staff, sales: [(staff, 0)], "at least 1"),
        (lambda staff, sales: [(staff, 1), (sales[0], 1), (staff, 2)], "on the distribution list twice"),
        (_inactive, "account is deactivated"),
        (_emptied_department, "no active member"),
    ],
    ids=["empty", "no-copies", "twice", "inactive-user", "department-without-members"],
)
def test_r_ctrl_2_a_wrong_distribution_list_is_refused_and_nothing_changes(archivist, staff, sales, recipients, words):
    document = make_document()
    make_copy(document)
    recipients = recipients(staff, sales)
    before = snapshot(document)
    with pytest.raises(DocumentsRefused, match=words) as refused:
        copies_distribute(document=document, by=archivist, recipients=recipients)
    assert refused.value.field == "recipients"
    assert snapshot(document) == before


@pytest.mark.parametrize(
    "state", [DocumentState.AWAITING_COUNTERSIGN, DocumentState.VOID, DocumentState.LAPSED, DocumentState.SUPERSEDED]
)
def test_r_ctrl_2_no_copies_of_a_document_not_distributable(archivist, staff, state):
    document = make_document(state=state)
    before = snapshot(document)
    with pytest.raises(DocumentsRefused, match="no copies can be issued"):
        copies_distribute(document=document, by=archivist, recipients=[(staff, 1)])
    assert snapshot(document) == before


def test_r_ctrl_1_only_the_archivist_distributes(staff, department_head):
    document = make_document()
    before = snapshot(document)
    with pytest.raises(DocumentsRefused, match="Only the archivist"):
        copies_distribute(document=document, by=department_head, recipients=[(staff, 1)])
    assert snapshot(document) == before


# Signing for a copy -----------------------------------------------------------


def test_r_ctrl_1_the_addressed_person_signs_and_holds_the_copy(staff):
    copy = make_copy(make_document(), recipient_user=staff)
    copy_sign(copy=copy, by=staff)
    copy = fresh(copy)
    assert (copy.state, copy.holder, copy.signed_on_paper) == (CopyState.SIGNED, staff, False)
    assert copy.signed_at is not None
    latest = copy.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (staff, DocumentsReason.COPY_SIGNED)


def test_r_ctrl_1_a_member_of_the_addressed_department_signs(sales):
    department, (first, second) = sales
    copy = make_copy(make_document(), recipient_department=department)
    copy_sign(copy=copy, by=second)
    assert fresh(copy).holder == second
    with pytest.raises(DocumentsRefused, match="Signed for: it cannot be signed for"):
        copy_sign(copy=copy, by=first)
    assert fresh(copy).holder == second


@pytest.mark.parametrize(
    ("addressed", "signer", "words"),
    [
        ("person", "colleague", "only they sign for it; 同事 cannot"),
        ("department", "colleague", "only a member of it signs for it; 同事 cannot"),
        ("department", "gone", "account is deactivated"),
    ],
)
def test_r_ctrl_1_nobody_else_signs_and_nothing_changes(staff, sales, addressed, signer, words):
    department, _members = sales
    colleague = UserFactory(username="colleague", full_name="同事")
    signer = {"colleague": colleague, "gone": type(staff).objects.get(username="sales-gone")}[signer]
    copy = make_copy(make_document(), **({"recipient_user": staff} if addressed == "person" else {
        "recipient_department": department
    }))
    before = list(ControlledCopy.objects.values())
    with pytest.raises(DocumentsRefused, match=words):
        copy_sign(copy=copy, by=signer)
    assert list(ControlledCopy.objects.values()) == before


def test_r_ctrl_1_a_recalled_copy_is_not_signed_for(staff):
    copy = make_copy(make_document(state=DocumentState.VOID), recipient_user=staff, state=CopyState.RECALLED)
    with pytest.raises(DocumentsRefused, match="Recalled, not yet returned: it cannot be signed for"):
        copy_sign(copy=copy, by=staff)
    assert fresh(copy).state == CopyState.RECALLED


def test_r_ctrl_1_the_archivist_records_a_paper_signature(archivist, sales):
    department, (first, _second) = sales
    copy = make_copy(make_document(), recipient_department=department)
    copy_record_paper_signature(copy=copy, by=archivist, signer=first)
    copy = fresh(copy)
    assert (copy.state, copy.holder, copy.signed_on_paper, copy.signature_recorded_by) == (
        CopyState.SIGNED, first, True, archivist
    )
    latest = copy.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (archivist, DocumentsReason.COPY_SIGNED_ON_PAPER)


def test_r_ctrl_1_a_paper_signature_names_someone_who_may_sign(archivist, staff, sales):
    department, (first, _second) = sales
    copy = make_copy(make_document(), recipient_user=staff)
    before = list(ControlledCopy.objects.values())
    with pytest.raises(DocumentsRefused, match="only they sign for it") as refused:
        copy_record_paper_signature(copy=copy, by=archivist, signer=first)
    assert refused.value.field == "signer"
    with pytest.raises(DocumentsRefused, match="Only the archivist"):
        copy_record_paper_signature(copy=copy, by=staff, signer=staff)
    assert list(ControlledCopy.objects.values()) == before
