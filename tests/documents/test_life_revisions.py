"""Revisions (R-CTRL-6): supporting papers, the department head's
countersignature (never their own submission), the old revision
superseded and its copies recalled (换版收回) when the new one is
distributed, the revision history."""
import datetime

import pytest
from django.utils import timezone, translation

from accounts.models import Notice
from accounts.roles import Role, assign_role
from documents import selectors
from documents.exceptions import DocumentsRefused
from documents.models import ControlledCopy, ControlledDocument, CopyState, DocumentPaper, DocumentState, PaperKind
from documents.reasons import DocumentsReason
from documents.services import revisions
from tests.documents.support import fresh, make_copy, make_document, uploaded_pdf

pytestmark = pytest.mark.django_db

TODAY = f"{timezone.localdate():%Y-%m-%d}"


@pytest.fixture
def in_force(private_storage, archivist):
    return make_document(state=DocumentState.IN_FORCE, distributed_at=timezone.now())


def snapshot():
    return {
        "documents": list(ControlledDocument.objects.order_by("pk").values()),
        "papers": list(DocumentPaper.objects.order_by("pk").values()),
        "copies": list(ControlledCopy.objects.order_by("pk").values()),
        "document_history": ControlledDocument.history.count(),
        "copy_history": ControlledCopy.history.count(),
        "notices": Notice.objects.count(),
    }


def submit(document, by, **kwargs):
    values = {
        "source": uploaded_pdf("第二版.pdf", pages=2, text="第二版"),
        "papers": [uploaded_pdf("修订审批单.pdf", pages=1)],
        "reason": "增加线上活动的条款",
    }
    return revisions.revision_submit(document=document, by=by, **{**values, **kwargs})


def test_r_ctrl_6_revision_keeps_its_supporting_papers_and_waits_for_the_head(in_force, archivist):
    revision = submit(in_force, archivist, title="市场活动管理规定（修订）")
    revision = fresh(revision)
    assert revision.state == DocumentState.AWAITING_COUNTERSIGN
    assert (revision.supersedes, revision.revision) == (in_force, in_force.revision + 1)
    assert revision.serial != in_force.serial and revision.page_count == 2
    assert (revision.title, revision.revision_reason) == ("市场活动管理规定（修订）", "增加线上活动的条款")
    assert revision.marked_by == archivist
    [paper] = revision.papers.all()
    assert (paper.kind, paper.original_name) == (PaperKind.REVISION, "修订审批单.pdf")
    row = revision.history.latest()
    assert (row.history_user, row.history_change_reason) == (archivist, DocumentsReason.REVISION_REQUESTED)
    assert fresh(in_force).state == DocumentState.IN_FORCE  # in force until the revision is distributed


def test_r_ctrl_6_revision_without_supporting_papers_is_refused(in_force, archivist):
    before = snapshot()
    with pytest.raises(DocumentsRefused) as refused:
        submit(in_force, archivist, papers=[])
    assert refused.value.field == "papers"
    assert snapshot() == before


@pytest.mark.parametrize("state", [DocumentState.VOID, DocumentState.LAPSED, DocumentState.SUPERSEDED])
def test_r_ctrl_6_an_ended_document_is_not_revised(private_storage, archivist, state):
    document = make_document(state=state)
    before = snapshot()
    with pytest.raises(DocumentsRefused):
        submit(document, archivist)
    assert snapshot() == before


def test_r_ctrl_6_a_document_past_its_date_is_not_revised(private_storage, archivist):
    document = make_document(state=DocumentState.IN_FORCE, valid_until=timezone.localdate() - datetime.timedelta(days=1))
    before = snapshot()
    with pytest.raises(DocumentsRefused):
        submit(document, archivist)
    assert snapshot() == before


def test_r_ctrl_6_one_pending_revision_at_a_time(in_force, archivist):
    submit(in_force, archivist)
    before = snapshot()
    with pytest.raises(DocumentsRefused):
        submit(in_force, archivist)
    assert snapshot() == before


def test_r_ctrl_6_only_the_archivist_submits(in_force, staff):
    before = snapshot()
    with pytest.raises(DocumentsRefused):
        submit(in_force, staff)
    assert snapshot() == before


def test_r_ctrl_6_the_head_countersigns(in_force, archivist, department_head):
    revision = submit(in_force, archivist)
    revisions.revision_countersign(document=revision, by=department_head, note="同意")
    revision = fresh(revision)
    assert revision.state == DocumentState.READY
    assert (revision.countersigned_by, revision.countersign_note) == (department_head, "同意")
    assert revision.countersigned_at is not None
    row = revision.history.latest()
    assert (row.history_user, row.history_change_reason) == (department_head, DocumentsReason.REVISION_COUNTERSIGNED)
    before = snapshot()
    with pytest.raises(DocumentsRefused):  # decided once
        revisions.revision_countersign(document=revision, by=department_head)
    assert snapshot() == before


@pytest.mark.parametrize("who", ["archivist", "staff", "own"])
def test_r_ctrl_6_countersigned_by_the_head_never_their_own(in_force, archivist, department_head, staff, who):
    if who == "own":
        assign_role(department_head, Role.ARCHIVIST)  # a head who also keeps the registers
        head = type(department_head).objects.get(pk=department_head.pk)
        revision = submit(in_force, head)
        signer = head
    else:
        revision = submit(in_force, archivist)
        signer = {"archivist": archivist, "staff": staff}[who]
    before = snapshot()
    with pytest.raises(DocumentsRefused):
        revisions.revision_countersign(document=revision, by=signer)
    with pytest.raises(DocumentsRefused):
        revisions.revision_refuse(document=revision, by=signer, reason="不同意")
    assert snapshot() == before


def test_r_ctrl_6_a_refused_revision_ends_and_the_document_may_be_revised_again(in_force, archivist, department_head):
    revision = submit(in_force, archivist)
    before = snapshot()
    with pytest.raises(DocumentsRefused):
        revisions.revision_refuse(document=revision, by=department_head, reason=" ")
    assert snapshot() == before
    revisions.revision_refuse(document=revision, by=department_head, reason="依据不足")
    refused = fresh(revision)
    assert refused.state == DocumentState.COUNTERSIGN_REFUSED
    assert (refused.ended_by, refused.end_reason) == (department_head, "依据不足")
    assert refused.supersedes is None
    assert refused.history.earliest().supersedes_id == in_force.pk  # its history keeps the link
    assert refused.history.latest().history_change_reason == DocumentsReason.REVISION_REFUSED
    assert fresh(in_force).state == DocumentState.IN_FORCE
    assert fresh(submit(in_force, archivist)).supersedes == in_force


def test_r_ctrl_6_distributing_the_revision_supersedes_and_recalls_the_old_copies(in_force, archivist, department_head):
    old_copies = [make_copy(in_force, state=CopyState.SIGNED), make_copy(in_force)]
    returned = make_copy(in_force, state=CopyState.RETURNED)
    revision = submit(in_force, archivist)
    revisions.revision_countersign(document=revision, by=department_head)
    with translation.override("en"):
        previous = revisions.supersede_previous(document=fresh(revision), by=archivist)
    assert previous == in_force
    old = fresh(in_force)
    assert (old.state, old.ended_by) == (DocumentState.SUPERSEDED, archivist)
    assert old.history.latest().history_change_reason == DocumentsReason.SUPERSEDED
    for copy in old_copies:
        copy = fresh(copy)
        assert copy.state == CopyState.RECALLED
        assert copy.remark == f"{TODAY} superseded, recalled"
        assert Notice.objects.filter(user=copy.recipient_user, text__contains=copy.control_number).exists()
    assert fresh(returned).state == CopyState.RETURNED
    assert revisions.supersede_previous(document=fresh(revision), by=archivist) == old  # twice: nothing more
    assert ControlledCopy.history.filter(history_change_reason=DocumentsReason.COPY_RECALLED).count() == 2


def test_r_ctrl_6_a_revision_of_a_document_voided_meanwhile_is_not_countersigned(in_force, archivist, department_head):
    from documents.services.voiding import document_void

    revision = submit(in_force, archivist)
    document_void(document=in_force, by=archivist, reason="撤销")
    before = snapshot()
    with pytest.raises(DocumentsRefused, match=in_force.title):
        revisions.revision_countersign(document=revision, by=department_head)
    assert snapshot() == before
    revisions.revision_refuse(document=revision, by=department_head, reason="原文件已作废")
    assert fresh(revision).state == DocumentState.COUNTERSIGN_REFUSED


def test_r_ctrl_6_a_countersigned_revision_of_a_document_voided_meanwhile_is_not_distributed(
    in_force, archivist, department_head, staff
):
    from documents.services.distribution import copies_distribute
    from documents.services.voiding import document_void

    revision = submit(in_force, archivist)
    revisions.revision_countersign(document=revision, by=department_head)
    document_void(document=in_force, by=archivist, reason="撤销")
    before = snapshot()
    with pytest.raises(DocumentsRefused, match=in_force.title):
        copies_distribute(document=fresh(revision), by=archivist, recipients=[(staff, 1)])
    assert snapshot() == before


def test_r_ctrl_6_a_previous_revision_lapsed_meanwhile_stays_lapsed(in_force, archivist, department_head):
    revision = submit(in_force, archivist)
    revisions.revision_countersign(document=revision, by=department_head)
    ControlledDocument.objects.filter(pk=in_force.pk).update(state=DocumentState.LAPSED)
    before = snapshot()
    assert revisions.supersede_previous(document=fresh(revision), by=archivist) == in_force
    assert snapshot() == before


def test_r_ctrl_6_revision_history_is_the_supersedes_chain(in_force, archivist, department_head):
    second = submit(in_force, archivist)
    revisions.revision_countersign(document=second, by=department_head)
    revisions.supersede_previous(document=fresh(second), by=archivist)
    ControlledDocument.objects.filter(pk=second.pk).update(state=DocumentState.IN_FORCE)
    third = submit(fresh(second), archivist)
    for document in (in_force, second, third):
        assert selectors.revision_history(fresh(document)) == [in_force, second, third]
    assert [document.revision for document in selectors.revision_history(third)] == [1, 2, 3]


def test_r_ctrl_6_the_whole_revision_through_the_services(in_force, archivist, department_head, staff):
    """Submit, countersign, distribute (part CORE's copies_distribute): the
    old revision is superseded and its copies recalled; the new one is in force."""
    from documents.services.distribution import copies_distribute

    old_copy = make_copy(in_force, recipient_user=staff, state=CopyState.SIGNED)
    revision = submit(in_force, archivist)
    before = snapshot()
    with pytest.raises(DocumentsRefused):  # not countersigned yet: nothing is issued
        copies_distribute(document=revision, by=archivist, recipients=[(staff, 1)])
    assert snapshot() == before
    revisions.revision_countersign(document=revision, by=department_head)
    [new_copy] = copies_distribute(document=fresh(revision), by=archivist, recipients=[(staff, 1)])

    assert fresh(revision).state == DocumentState.IN_FORCE
    assert fresh(in_force).state == DocumentState.SUPERSEDED
    assert fresh(old_copy).state == CopyState.RECALLED
    assert fresh(new_copy).state == CopyState.ISSUED
    assert list(selectors.valid_documents()) == [fresh(revision)]
    assert list(selectors.outstanding_recalls()) == [fresh(old_copy)]
    assert selectors.revision_history(fresh(revision)) == [in_force, revision]
