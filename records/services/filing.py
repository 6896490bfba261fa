"""Filing: a received item gets its archive number and place in one step
(R-FILE-3, R-FILE-5). Receiving a handover (records.services.handovers)
files each of its items the same way."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from records.exceptions import RecordActionRefused
from records.history import ChangeReason
from records.models import RecordStatus
from records.numbering import allocate_item_number, format_archive_number
from records.services._common import _locked, _save


def _file_locked(record, *, by, location, reason):
    """Give a locked record its archive number and place and save it."""
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
    return _save(record, reason, by)


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
    return _file_locked(record, by=by, location=location, reason=ChangeReason.FILED)
