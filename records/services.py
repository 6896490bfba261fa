"""Every write that changes a record's state. Each service locks the row,
checks, and saves in one transaction; history records who and why."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from records.exceptions import RecordActionRefused
from records.history import ChangeReason
from records.models import Record, RecordStatus
from records.numbering import allocate_item_number, format_archive_number


def _locked(record):
    return Record.objects.select_for_update().get(pk=record.pk)


def _save(record, reason):
    record._change_reason = reason
    record.status_changed_at = timezone.now()
    record.save()
    return record


@transaction.atomic
def record_submit(*, record, by):
    """Staff hand an item in for filing (R-FILE-2)."""
    record = _locked(record)
    if record.status not in (RecordStatus.DRAFT, RecordStatus.RETURNED):
        raise RecordActionRefused(_("Only a draft or a returned item can be submitted."))
    record.status = RecordStatus.SUBMITTED
    record.submitted_by = record.submitted_by or by
    record.submitted_at = timezone.now()
    return _save(record, ChangeReason.SUBMITTED)


@transaction.atomic
def record_file(*, record, by, location=None):
    """The archivist files a received item: it gets its archive number and
    place in one step (R-FILE-3, R-FILE-5)."""
    record = _locked(record)
    if record.status not in (RecordStatus.DRAFT, RecordStatus.SUBMITTED):
        raise RecordActionRefused(
            _("Only a submitted item can be filed; this one is %(status)s.")
            % {"status": record.get_status_display()}
        )
    item = allocate_item_number(record.category, record.year)
    record.item_number = item
    record.archive_number = format_archive_number(
        category=record.category, year=record.year, retention_years=record.retention_years, item=item
    )
    record.status = RecordStatus.FILED
    record.filed_by = by
    record.filed_at = timezone.now()
    if location is not None:
        record.location = location
    return _save(record, ChangeReason.FILED)


@transaction.atomic
def record_check_out(*, record, reason):
    """Custody leaves the shelf (called by lending). A record that is not on
    the shelf cannot go out (R-LEND-1)."""
    record = _locked(record)
    if record.status != RecordStatus.FILED:
        raise RecordActionRefused(
            _("The record is %(status)s and cannot be handed out.") % {"status": record.get_status_display()}
        )
    record.status = RecordStatus.ON_LOAN
    return _save(record, reason)


@transaction.atomic
def record_check_in(*, record, reason):
    """Custody returns to the shelf (called by lending)."""
    record = _locked(record)
    if record.status not in (RecordStatus.ON_LOAN, RecordStatus.MISSING):
        raise RecordActionRefused(_("The record is not out, so it cannot be taken back."))
    record.status = RecordStatus.FILED
    return _save(record, reason)
