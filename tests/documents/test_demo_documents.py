"""documents.demo (called by `manage.py seed_demo`): register lines and
controlled documents with copies in each state a demo login should meet,
made through documents.services; a second run changes nothing."""
import io

import pytest
from django.utils import timezone

from accounts import demo as accounts_demo
from documents import demo
from documents.models import ControlledCopy, ControlledDocument, CopyState, Correspondence, Direction, DocumentState
from documents.reasons import DocumentsReason
from documents.registers.distribution import distribution_register
from documents.registers.valid import valid_register

YEAR = timezone.localdate().year


@pytest.fixture
def seeded(db, private_storage, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    people = accounts_demo.seed_accounts(lambda line: None)
    output = io.StringIO()
    demo.seed_documents(people, lambda line: output.write(f"{line}\n"))
    return people, output.getvalue()


def copies_of(title):
    return {(copy.recipient_user.username if copy.recipient_user else copy.recipient_department.code, copy.state):
            copy for copy in ControlledCopy.objects.filter(document__title=title).select_related("recipient_user",
                                                                                               "recipient_department")}


def test_register_lines_in_and_out_numbered_by_the_service(seeded):
    lines = Correspondence.objects.order_by("direction", "serial")
    assert lines.count() == 4
    assert sorted(lines.values_list("direction", flat=True)) == [Direction.INCOMING] * 2 + [Direction.OUTGOING] * 2
    assert {line.number for line in lines if line.direction == Direction.OUTGOING} == {
        f"市场发〔{YEAR}〕1号", f"市场发〔{YEAR}〕2号"}
    document = ControlledDocument.objects.get(title=demo.IN_FORCE_TITLE)
    assert document.correspondence.number == document.reference == f"市场发〔{YEAR}〕1号"


def test_r_ctrl_1_to_3_a_document_in_force_signed_in_the_application_on_paper_and_a_lost_copy_reissued(seeded):
    document = ControlledDocument.objects.get(title=demo.IN_FORCE_TITLE)
    assert document.state == DocumentState.IN_FORCE and document.papers.count() == 1
    copies = copies_of(demo.IN_FORCE_TITLE)
    assert set(copies) == {("staff", CopyState.SIGNED), ("SCB", CopyState.SIGNED), ("head", CopyState.LOST),
                           ("head", CopyState.ISSUED)}
    assert not copies["staff", CopyState.SIGNED].signed_on_paper
    paper = copies["SCB", CopyState.SIGNED]
    assert paper.signed_on_paper and paper.holder.username == "sunhao"
    assert paper.signature_recorded_by.username == "archivist"
    lost, reissued = copies["head", CopyState.LOST], copies["head", CopyState.ISSUED]
    assert reissued.replaces == lost and lost.lost_on == timezone.localdate()
    assert lost.control_number in reissued.remark and reissued.control_number in lost.remark
    assert lost.history.filter(history_change_reason=DocumentsReason.COPY_LOST).exists()


def test_r_ctrl_5_a_time_limited_document_and_a_void_one_with_a_copy_still_recalled(seeded):
    limited = ControlledDocument.objects.get(title=demo.TIME_LIMITED_TITLE)
    assert limited.valid_until > timezone.localdate() and limited.state == DocumentState.IN_FORCE
    assert set(copies_of(demo.TIME_LIMITED_TITLE)) == {("staff", CopyState.ISSUED), ("head", CopyState.SIGNED)}
    void = ControlledDocument.objects.get(title=demo.VOID_TITLE)
    assert void.state == DocumentState.VOID and void.end_reason
    assert set(copies_of(demo.VOID_TITLE)) == {("staff", CopyState.RECALLED), ("head", CopyState.DESTROYED)}


def test_the_registers_have_lines(seeded):
    people, _output = seeded
    assert distribution_register(people.archivist).row_count == 8
    assert valid_register(people.staff).row_count == 2


def test_a_second_run_changes_nothing(seeded):
    people, _output = seeded
    def counts():
        return Correspondence.objects.count(), ControlledDocument.objects.count(), ControlledCopy.objects.count()

    before = counts()
    lines = []
    assert demo.is_seeded()
    assert demo.seed_documents(people, lines.append) == []
    assert counts() == before
    assert len(lines) == 1
