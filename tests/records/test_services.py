"""State changes of a record go through records.services; refused changes
leave the record as it was."""
import pytest
from django.utils import translation

from records.exceptions import RecordActionRefused
from records.models import Record, RecordStatus
from records.models.record import RecordDeletionRefused
from records.services import record_check_in, record_check_out, record_file, record_submit
from tests.factories import LocationFactory, RecordFactory


def test_r_file_2_staff_submit_a_draft(staff):
    record = RecordFactory(status=RecordStatus.DRAFT, submitted_by=None)
    record = record_submit(record=record, by=staff)
    assert record.status == RecordStatus.SUBMITTED
    assert record.submitted_by == staff and record.submitted_at is not None


def test_r_file_3_filing_assigns_number_location_and_filer(archivist):
    box = LocationFactory()
    record = record_file(record=RecordFactory(), by=archivist, location=box)
    assert record.status == RecordStatus.FILED
    assert record.archive_number and record.location == box
    assert record.filed_by == archivist and record.filed_at is not None
    latest = record.history.first()
    assert latest.history_change_reason == "filed"


def test_filing_twice_is_refused_and_changes_nothing(archivist):
    record = record_file(record=RecordFactory(), by=archivist)
    before = Record.objects.values().get(pk=record.pk)
    with translation.override("en"), pytest.raises(RecordActionRefused, match="submitted"):
        record_file(record=record, by=archivist)
    assert Record.objects.values().get(pk=record.pk) == before


def test_custody_leaves_and_returns(filed_record):
    record = filed_record()
    record = record_check_out(record=record, reason="loan 1")
    assert record.status == RecordStatus.ON_LOAN
    with pytest.raises(RecordActionRefused):
        record_check_out(record=record, reason="loan 2")
    record = record_check_in(record=record, reason="returned")
    assert record.status == RecordStatus.FILED


def test_record_cannot_be_checked_in_when_on_shelf(filed_record):
    with pytest.raises(RecordActionRefused):
        record_check_in(record=filed_record(), reason="x")


def test_records_are_never_deleted(filed_record):
    record = filed_record()
    with pytest.raises(RecordDeletionRefused):
        record.delete()
    with pytest.raises(RecordDeletionRefused):
        Record.objects.filter(pk=record.pk).delete()
    assert Record.objects.filter(pk=record.pk).exists()


def test_retention_end_follows_year_and_period(db):
    record = RecordFactory(year=2020, retention_years=10)
    assert str(record.retention_expires_on) == "2030-12-31"
    permanent = RecordFactory(year=2020, retention_years=None)
    assert permanent.retention_expires_on is None
