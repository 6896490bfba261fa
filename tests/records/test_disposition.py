"""What the year-end appraisal and the weeding and disposal lists do to a
record (records.services.disposition, R-DISP-1..3): each service's effect
and history, and each refusal changing nothing. What blocks a strike-off
(records.disposability) is in test_disposability.py; the removal of the
destroyed files' bytes in test_file_removal.py."""
import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import translation

from core.history import reason_label
from records.exceptions import RecordActionRefused
from records.models import Attachment, Record, RecordStatus
from records.search import search_records
from records.services import (
    hold_place,
    record_check_out,
    record_destroy,
    record_extend_retention,
    record_keep_permanently,
    record_mark_missing,
    record_transfer_out,
    record_weed,
    records_destroy,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def record(filed_record):
    # A 10-year record of 2014: its retention ended on 31 December 2024.
    return filed_record(title="华东区展会布展合同", year=2014, retention_years=10)


def attach(record, by, *, name="布展方案.docx", text="展台搭建费用结算明细", content=b"PK\x03\x04 docx bytes"):
    """A stored file of `record` with extracted text (the upload checks are
    test_attachments.py's)."""
    stored = default_storage.save(f"{record.pk}/{name}", ContentFile(content))
    return Attachment.objects.create(
        record=record, file=stored, original_name=name, size=len(content), content_type="application/octet-stream",
        sha256="ab" * 32, uploaded_by=by, extracted_text=text,
    )


def found(user, text):
    return {hit.pk for hit in search_records(user, text)[0:50]}


def reason_of(entry):
    return str(reason_label(entry.history_change_reason))


def snapshot(record):
    """What a refused service must leave as it was."""
    record = Record.objects.get(pk=record.pk)
    return (
        record.status, record.retention_years, record.retention_extended_years, record.retention_expires_on,
        record.disposition_reason, record.transferred_to, record.history.count(),
    )


# --- extend retention (R-DISP-2) ------------------------------------------------


def test_r_disp_2_extending_retention_moves_its_end_and_history_says_why(record, department_head):
    assert record.retention_expires_on == datetime.date(2024, 12, 31)

    extended = record_extend_retention(record=record, years=5, reason="  仍有未结诉讼  ", by=department_head)

    assert (extended.retention_years, extended.retention_extended_years) == (10, 5)
    assert extended.retention_expires_on == datetime.date(2029, 12, 31)
    assert extended.disposition_reason == "仍有未结诉讼"
    assert extended.status == RecordStatus.FILED
    entry = extended.history.latest()
    assert (entry.history_user, reason_of(entry)) == (department_head, "Retention extended at appraisal")
    assert (entry.retention_expires_on, entry.retention_extended_years) == (datetime.date(2029, 12, 31), 5)
    # A second extension adds to the first.
    again = record_extend_retention(record=record, years=3, reason="审计", by=department_head)
    assert again.retention_expires_on == datetime.date(2032, 12, 31)


@pytest.mark.parametrize(
    "years, message",
    [(0, "extend by 1 to 90 years"), (91, "extend by 1 to 90 years"), ("5", "extend by 1 to 90"), (True, "extend")],
)
def test_extending_by_a_wrong_number_of_years_is_refused(record, department_head, years, message):
    before = snapshot(record)
    with pytest.raises(RecordActionRefused, match=message) as refused:
        record_extend_retention(record=record, years=years, reason="审计", by=department_head)
    assert refused.value.field == "years"
    assert record.archive_number in refused.value.message
    assert snapshot(record) == before


def test_a_permanent_record_has_no_retention_to_extend(filed_record, department_head):
    permanent = filed_record(retention_years=None)
    before = snapshot(permanent)
    with pytest.raises(RecordActionRefused, match="kept permanently: there is no retention to extend"):
        record_extend_retention(record=permanent, years=5, reason="审计", by=department_head)
    assert snapshot(permanent) == before


# --- keep permanently (R-DISP-2) --------------------------------------------------


def test_r_disp_2_keeping_permanently_drops_retention_and_extensions(record, department_head):
    record_extend_retention(record=record, years=5, reason="审计", by=department_head)
    kept = record_keep_permanently(record=record, reason="具有长期查考价值", by=department_head)
    assert (kept.retention_years, kept.retention_extended_years, kept.retention_expires_on) == (None, 0, None)
    assert kept.archive_number == record.archive_number  # a number never changes
    entry = kept.history.latest()
    assert reason_of(entry) == "Kept permanently after appraisal"
    assert entry.disposition_reason == "具有长期查考价值"
    with pytest.raises(RecordActionRefused, match="already kept permanently"):
        record_keep_permanently(record=kept, reason="再次", by=department_head)


# --- weed (R-DISP-1) ----------------------------------------------------------------


def test_r_disp_1_weeding_takes_a_filed_record_off_the_books(record, department_head):
    weeded = record_weed(record=record, reason="重复件，无保存价值", by=department_head)
    assert weeded.status == RecordStatus.WEEDED
    assert weeded.status_changed_at is not None
    entry = weeded.history.latest()
    assert (entry.status, entry.disposition_reason) == (RecordStatus.WEEDED, "重复件，无保存价值")
    assert reason_of(entry) == "Weeded out as having no lasting value"


def test_weeding_twice_is_refused(record, department_head):
    record_weed(record=record, reason="重复件", by=department_head)
    before = snapshot(record)
    with pytest.raises(RecordActionRefused, match=f"{record.archive_number} is Weeded and cannot be weeded"):
        record_weed(record=record, reason="重复件", by=department_head)
    assert snapshot(record) == before


# --- transfer out ---------------------------------------------------------------------


def test_transferring_out_names_the_receiving_body(record, archivist):
    transferred = record_transfer_out(record=record, receiving_body="集团公司档案馆", reason="按规定移交", by=archivist)
    assert (transferred.status, transferred.transferred_to) == (RecordStatus.TRANSFERRED, "集团公司档案馆")
    assert reason_of(transferred.history.latest()) == "Transferred out of the archive"


def test_transferring_out_without_a_receiving_body_is_refused(record, archivist):
    before = snapshot(record)
    with pytest.raises(RecordActionRefused, match="Name the body that receives") as refused:
        record_transfer_out(record=record, receiving_body="  ", reason="按规定移交", by=archivist)
    assert refused.value.field == "receiving_body"
    assert snapshot(record) == before


# --- destroy (R-DISP-3) ----------------------------------------------------------------


def test_r_disp_3_destroying_leaves_tombstones_of_the_files(record, archivist, private_storage):
    attachment = attach(record, archivist)
    when = datetime.datetime(2025, 1, 15, 10, 0, tzinfo=datetime.timezone.utc)

    destroyed = record_destroy(record=record, reason="保管期满，经鉴定销毁", by=archivist, destroyed_at=when)

    assert destroyed.status == RecordStatus.DESTROYED
    entry = destroyed.history.latest()
    assert (entry.history_user, reason_of(entry)) == (archivist, "Destroyed")
    attachment.refresh_from_db()
    assert attachment.destroyed_at == when
    assert (attachment.original_name, attachment.size, attachment.sha256) == ("布展方案.docx", 15, "ab" * 32)
    assert attachment.extracted_text == ""
    assert reason_of(attachment.history.latest()) == "Destroyed"


def test_r_disp_3_a_destroyed_record_is_found_by_number_and_title_not_by_its_files_text(
    record, archivist, department_head, private_storage
):
    attach(record, archivist)
    assert record.pk in found(department_head, "搭建费用")

    record_destroy(record=record, reason="保管期满", by=archivist)

    assert record.pk not in found(department_head, "搭建费用")
    assert record.pk in found(department_head, "展会布展")
    assert record.pk in found(department_head, record.archive_number)


def test_r_disp_3_a_weeded_record_is_destroyed_too(record, archivist):
    record_weed(record=record, reason="重复件", by=archivist)
    assert record_destroy(record=record, reason="剔除后销毁", by=archivist).status == RecordStatus.DESTROYED


def test_destroying_twice_is_refused_and_the_number_stays_taken(record, archivist):
    record_destroy(record=record, reason="保管期满", by=archivist)
    before = snapshot(record)
    with pytest.raises(RecordActionRefused, match=f"{record.archive_number} is Destroyed and cannot be destroyed"):
        record_destroy(record=record, reason="保管期满", by=archivist)
    assert snapshot(record) == before
    assert Record.objects.get(pk=record.pk).archive_number == record.archive_number


# --- refusals shared by every service, state unchanged --------------------------------

SERVICES = {
    "extend": lambda record, by: record_extend_retention(record=record, years=5, reason="审计", by=by),
    "keep": lambda record, by: record_keep_permanently(record=record, reason="长期价值", by=by),
    "weed": lambda record, by: record_weed(record=record, reason="重复件", by=by),
    "transfer": lambda record, by: record_transfer_out(record=record, receiving_body="集团档案馆", reason="移交", by=by),
    "destroy": lambda record, by: record_destroy(record=record, reason="保管期满", by=by),
}


@pytest.mark.parametrize("service", SERVICES)
def test_a_held_record_is_refused_by_every_service(record, archivist, department_head, private_storage, service):
    attachment = attach(record, archivist)
    hold_place(record=record, by=department_head, reason="合同纠纷诉讼中")
    before = snapshot(record)
    with pytest.raises(RecordActionRefused, match="frozen by 1 hold") as refused:
        SERVICES[service](record, archivist)
    assert "合同纠纷诉讼中" in refused.value.message and record.archive_number in refused.value.message
    assert snapshot(record) == before
    attachment.refresh_from_db()
    assert attachment.destroyed_at is None and attachment.extracted_text


@pytest.mark.parametrize("service", ["weed", "transfer", "destroy"])
@pytest.mark.parametrize(
    "make_state, reason",
    [
        (lambda record, by: record_check_out(record=record, reason="借出", by=by), "on loan"),
        (lambda record, by: record_mark_missing(record=record, reason="盘点未见", by=by), "missing"),
    ],
)
def test_a_record_off_the_shelf_is_not_struck_off(record, archivist, service, make_state, reason):
    make_state(record, archivist)
    before = snapshot(record)
    with pytest.raises(RecordActionRefused, match=f"{record.archive_number} cannot be .* destroyed: {reason}"):
        SERVICES[service](record, archivist)
    assert snapshot(record) == before


@pytest.mark.parametrize("service", ["weed", "transfer", "destroy"])
def test_a_permanent_record_is_not_struck_off(filed_record, archivist, service):
    permanent = filed_record(retention_years=None)
    before = snapshot(permanent)
    with pytest.raises(RecordActionRefused, match="permanent retention"):
        SERVICES[service](permanent, archivist)
    assert snapshot(permanent) == before


@pytest.mark.parametrize("service", SERVICES)
def test_a_destroyed_or_transferred_record_is_refused_by_every_service(record, archivist, service):
    record_transfer_out(record=record, receiving_body="集团档案馆", reason="移交", by=archivist)
    before = snapshot(record)
    with pytest.raises(RecordActionRefused, match=f"{record.archive_number} is Transferred out"):
        SERVICES[service](record, archivist)
    assert snapshot(record) == before


@pytest.mark.parametrize("service", SERVICES)
def test_an_empty_reason_is_refused(record, archivist, service):
    before = snapshot(record)
    kwargs = {"record": record, "reason": "  ", "by": archivist}
    call = {
        "extend": lambda: record_extend_retention(years=5, **kwargs),
        "keep": lambda: record_keep_permanently(**kwargs),
        "weed": lambda: record_weed(**kwargs),
        "transfer": lambda: record_transfer_out(receiving_body="集团档案馆", **kwargs),
        "destroy": lambda: record_destroy(**kwargs),
    }[service]
    with pytest.raises(RecordActionRefused, match="Give the reason") as refused:
        call()
    assert refused.value.field == "reason"
    assert snapshot(record) == before


def test_a_record_not_yet_filed_is_refused(archivist):
    from tests.factories import RecordFactory

    submitted = RecordFactory()
    with pytest.raises(RecordActionRefused, match="is Submitted and cannot be destroyed"):
        record_destroy(record=submitted, reason="保管期满", by=archivist)
    assert Record.objects.get(pk=submitted.pk).status == RecordStatus.SUBMITTED



# --- many at once (records_destroy: a whole disposal list in one call) --------------


def test_r_disp_3_records_destroy_destroys_all_with_their_own_reasons(filed_record, archivist, private_storage):
    records = [filed_record() for _ in range(3)]
    attachments = [attach(record, archivist, name=f"文件{index}.docx") for index, record in enumerate(records)]
    reasons = {record.pk: f"清册第{index}项" for index, record in enumerate(records)}

    destroyed = records_destroy(records=records, reason=reasons, by=archivist)

    assert [record.pk for record in destroyed] == [record.pk for record in records]
    for index, record in enumerate(records):
        record = Record.objects.get(pk=record.pk)
        assert (record.status, record.disposition_reason) == (RecordStatus.DESTROYED, f"清册第{index}项")
        entry = record.history.latest()
        assert (entry.history_user, reason_of(entry), entry.status) == (archivist, "Destroyed", "destroyed")
    for attachment in attachments:
        attachment.refresh_from_db()
        assert attachment.destroyed_at is not None and attachment.extracted_text == ""
        assert attachment.history.latest().history_user == archivist


def test_r_disp_3_records_destroy_is_all_or_nothing_and_names_every_record_refused(
    filed_record, archivist, department_head, private_storage
):
    free, held, lent, destroyed_already = (filed_record() for _ in range(4))
    attachment = attach(free, archivist)
    hold_place(record=held, by=department_head, reason="合同纠纷")
    record_check_out(record=lent, reason="借出", by=archivist)
    record_destroy(record=destroyed_already, reason="保管期满", by=archivist)
    before = [snapshot(record) for record in (free, held, lent, destroyed_already)]

    with pytest.raises(RecordActionRefused) as refused:
        records_destroy(records=[free, held, lent, destroyed_already], reason="保管期满", by=archivist)

    message = refused.value.message
    assert held.archive_number in message and "frozen by 1 hold (合同纠纷)" in message
    assert f"{lent.archive_number} cannot be weeded, transferred out or destroyed: on loan." in message
    assert f"{destroyed_already.archive_number} is Destroyed and cannot be destroyed." in message
    assert free.archive_number not in message
    assert [snapshot(record) for record in (free, held, lent, destroyed_already)] == before
    attachment.refresh_from_db()
    assert attachment.destroyed_at is None and attachment.extracted_text


def test_records_destroy_asks_nothing_per_record(archivist):
    """Set-based: each chunk of 500 records (and their files) is read,
    checked and re-indexed by the same few SELECTs, whatever its size; only
    the bulk writes are split by Django into statements of as many rows as
    the database takes (SQLite: 999 parameters, about 28 history rows)."""
    from tests.query_counts import count_queries
    from tests.records import volume

    def grow(count):
        volume.records(count, index=False)
        rows = list(Record.objects.order_by("-pk")[:count])
        Record.objects.filter(pk__in=[row.pk for row in rows]).update(retention_years=10)
        Attachment.objects.bulk_create(
            Attachment(record=row, file=f"{row.pk}/f", original_name="f.pdf", size=1, content_type="application/pdf",
                       sha256="0" * 64, uploaded_by=archivist, extracted_text="正文")
            for row in rows
        )
        return rows

    def selects(counted):
        return sum(1 for statement in counted.statements if statement.startswith("SELECT"))

    few, many = grow(10), grow(1000)
    with count_queries() as ten:
        records_destroy(records=few, reason="保管期满", by=archivist)
    with count_queries() as thousand:
        records_destroy(records=many, reason="保管期满", by=archivist)

    # Two chunks against one; the class and location trees are read once.
    assert selects(thousand) == 2 * selects(ten) - 2, (selects(ten), selects(thousand))
    assert thousand.total < 150, thousand.total
    assert Attachment.objects.filter(destroyed_at__isnull=True).count() == 0
