"""The correspondence registers' services (R-SCOPE 3–4): numbers per year
and direction after the policy's pattern, without gaps, never twice;
corrections with a reason that never touch the number; filing as a
submission in WLFW / WLSW for the filing desk, or linking a filed record."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from documents.exceptions import DocumentsRefused
from documents.models import Correspondence, Direction, DocumentCounter, DocumentsPolicy, Urgency
from documents.reasons import DocumentsReason
from documents.services.correspondence import (
    correspondence_correct,
    correspondence_file,
    correspondence_link,
    correspondence_register,
)
from records.models import Record, RecordStatus
from tests.concurrency import at_once
from tests.documents.support import fresh, make_correspondence, uploaded_pdf
from tests.factories import DepartmentFactory, UserFactory, marketing_department

DAY = datetime.date(2026, 3, 5)


@pytest.fixture
def departments(db):
    return {
        "market": marketing_department(),
        "finance": DepartmentFactory(code="CWB", name="财务部"),
        "tech": DepartmentFactory(code="JSB", name="技术部"),
    }


def facts(departments, **overrides):
    data = {
        "document_date": DAY, "title": "关于春季推广活动的通知", "pages": 3, "urgency": Urgency.URGENT,
        "sender": departments["market"], "handler": UserFactory(username="handler"), "note": "",
    }
    data.update(overrides)
    return data


def register(archivist, departments, direction=Direction.OUTGOING, **overrides):
    return correspondence_register(
        by=archivist, direction=direction, data=facts(departments, **overrides),
        receivers=[departments["finance"], departments["tech"]],
    )


def test_r_scope_3_numbers_run_per_year_and_direction_after_the_pattern(archivist, departments):
    first = register(archivist, departments)
    second = register(archivist, departments)
    incoming = register(archivist, departments, Direction.INCOMING, sender=departments["finance"])
    next_year = register(archivist, departments, document_date=datetime.date(2027, 1, 4))
    assert [first.number, second.number] == ["市场发〔2026〕1号", "市场发〔2026〕2号"]
    assert incoming.number == "市场收〔2026〕1号"
    assert next_year.number == "市场发〔2027〕1号" and next_year.year == 2027
    assert sorted(first.receivers.values_list("name", flat=True)) == ["技术部", "财务部"]
    assert first.registered_by == archivist and first.urgency == Urgency.URGENT
    assert first.history.first().history_change_reason == DocumentsReason.CORRESPONDENCE_REGISTERED


def test_r_scope_3_the_pattern_is_the_policys(archivist, departments):
    policy = DocumentsPolicy.current()
    policy.outgoing_number_pattern = "SC-{year}-{number:03d}"
    policy.save()
    assert register(archivist, departments).number == "SC-2026-001"


@pytest.mark.parametrize("overrides, field", [
    ({"title": "  "}, "title"),
    ({"pages": 0}, "pages"),
    ({"document_date": None}, "document_date"),
    ({"urgency": "whenever"}, "urgency"),
    ({"sender": None}, "sender"),
    ({"title": "坏\x00标题"}, "title"),
])
def test_r_scope_3_bad_input_is_refused_and_takes_no_number(archivist, departments, overrides, field):
    with pytest.raises(DocumentsRefused) as refused:
        register(archivist, departments, **overrides)
    assert refused.value.field == field
    assert not Correspondence.objects.exists()
    assert register(archivist, departments).number == "市场发〔2026〕1号"


def test_r_scope_3_an_inactive_handler_or_no_receivers_is_refused(archivist, departments):
    gone = UserFactory(username="gone", is_active=False)
    with pytest.raises(DocumentsRefused, match="在用账号") as refused:
        register(archivist, departments, handler=gone)
    assert refused.value.field == "handler"
    with pytest.raises(DocumentsRefused) as refused:
        correspondence_register(by=archivist, direction=Direction.OUTGOING, data=facts(departments), receivers=[])
    assert refused.value.field == "receivers"
    assert not Correspondence.objects.exists() and not DocumentCounter.objects.filter(last__gt=0).exists()


def test_r_scope_3_only_the_archivist_registers(staff, department_head, departments):
    for user in (staff, department_head):
        with pytest.raises(DocumentsRefused, match="档案管理员"):
            register(user, departments)
    assert not Correspondence.objects.exists()


def test_r_scope_3_a_rolled_back_registration_returns_its_number(archivist, departments):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            register(archivist, departments)
            raise RuntimeError("interrupted")
    assert register(archivist, departments).number == "市场发〔2026〕1号"


@pytest.mark.django_db(transaction=True)
def test_r_scope_3_two_archivists_at_once_never_share_a_number(archivist, departments):
    """Six threads register four lines each at once: 24 numbers, 1 to 24."""
    handler = UserFactory(username="handler")

    def register_four(_outcomes):
        for _ in range(4):
            register(archivist, departments, handler=handler)

    assert at_once([register_four] * 6).errors == []
    numbers = set(Correspondence.objects.values_list("number", flat=True))
    assert numbers == {f"市场发〔2026〕{n}号" for n in range(1, 25)}


def test_r_scope_3_a_correction_keeps_number_and_direction_and_its_reason(archivist, departments):
    line = register(archivist, departments)
    data = facts(departments, title="关于春季推广活动的补充通知", pages=4, handler=line.handler)
    correspondence_correct(
        correspondence=line, by=archivist, data=data, receivers=[departments["tech"]], reason="标题写错",
    )
    line = fresh(line)
    assert (line.number, line.direction, line.title, line.pages) == (
        "市场发〔2026〕1号", Direction.OUTGOING, "关于春季推广活动的补充通知", 4)
    assert list(line.receivers.values_list("name", flat=True)) == ["技术部"]
    corrected = line.history.filter(history_type="~", title="关于春季推广活动的补充通知").first()
    assert corrected.history_change_reason == "标题写错" and corrected.history_user == archivist


def test_r_scope_3_a_correction_is_refused_without_reason_change_or_into_another_year(archivist, departments):
    line = register(archivist, departments)
    unchanged = facts(departments, handler=line.handler)
    receivers = [departments["finance"], departments["tech"]]
    cases = [
        (dict(unchanged, title="新标题"), "", "更正原因"),
        (unchanged, "无事", "无需更正"),
        (dict(unchanged, document_date=datetime.date(2027, 1, 2)), "改日期", "2026"),
    ]
    for data, reason, message in cases:
        with pytest.raises(DocumentsRefused, match=message):
            correspondence_correct(correspondence=line, by=archivist, data=data, receivers=receivers, reason=reason)
    line = fresh(line)
    assert line.title == "关于春季推广活动的通知" and line.document_date == DAY
    assert line.history.count() == 2  # registered, receivers set


def test_r_scope_4_filing_hands_an_outgoing_document_in_as_a_wlfw_submission(archivist, departments, private_storage):
    line = register(archivist, departments, note="原件一份")
    record = correspondence_file(correspondence=line, by=archivist, files=[uploaded_pdf("通知.pdf", pages=1)])
    assert record.status == RecordStatus.SUBMITTED and record.category.code == "WLFW"
    assert (record.title, record.document_number, record.document_date, record.pages, record.responsible_party) == (
        line.title, "市场发〔2026〕1号", DAY, 3, "市场部")
    assert record.submitted_by == archivist and record.notes == "原件一份"
    assert [a.original_name for a in record.attachments.all()] == ["通知.pdf"]
    assert fresh(line).record == record
    assert fresh(line).history.first().history_change_reason == DocumentsReason.CORRESPONDENCE_FILED


def test_r_scope_4_an_incoming_document_goes_to_wlsw_and_is_filed_once(archivist, departments):
    line = register(archivist, departments, Direction.INCOMING, sender=departments["finance"])
    record = correspondence_file(correspondence=line, by=archivist)
    assert record.category.code == "WLSW" and record.responsible_party == "财务部"
    with pytest.raises(DocumentsRefused, match="已归档为"):
        correspondence_file(correspondence=line, by=archivist)
    assert Record.objects.filter(document_number=line.number).count() == 1


def test_r_scope_4_a_refused_file_saves_nothing(archivist, departments, private_storage):
    line = register(archivist, departments)
    program = SimpleUploadedFile("工具.exe", b"MZ\x90\x00\x03\x00\x00\x00" * 8, "application/octet-stream")
    with pytest.raises(DocumentsRefused) as refused:
        correspondence_file(correspondence=line, by=archivist, files=[program])
    assert refused.value.field == "files" and "工具.exe" in refused.value.message
    assert fresh(line).record is None
    assert not Record.objects.filter(document_number=line.number).exists()
    assert not any(private_storage.rglob("*.exe"))


def test_r_scope_4_linking_a_filed_record(archivist, departments, filed_record):
    line = register(archivist, departments)
    other = register(archivist, departments)
    record = filed_record()
    correspondence_link(correspondence=line, record=record, by=archivist)
    assert fresh(line).record == record
    with pytest.raises(DocumentsRefused, match="已关联"):
        correspondence_link(correspondence=other, record=record, by=archivist)
    assert fresh(other).record is None


def test_r_scope_4_only_the_archivist_files(department_head, departments, archivist):
    line = make_correspondence(receivers=[departments["finance"]])
    with pytest.raises(DocumentsRefused, match="档案管理员"):
        correspondence_file(correspondence=line, by=department_head)
    assert fresh(line).record is None
