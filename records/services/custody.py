"""Custody and status of a filed record, changed by the apps that cause it:
lending hands records out and takes them back (R-LEND-1) and reports them
lost (R-LEND-5); the stocktake reports a record missing (R-INV-3). Those
apps call these services; records never imports them."""
from django.db import transaction
from django.utils.translation import gettext as _

from records.exceptions import RecordActionRefused
from records.models import RecordStatus
from records.services._common import _locked, _save


@transaction.atomic
def record_check_out(*, record, reason, by=None):
    """Custody leaves the shelf (called by lending). A record that is not on
    the shelf cannot go out (R-LEND-1)."""
    record = _locked(record)
    if record.status != RecordStatus.FILED:
        raise RecordActionRefused(
            _("The record is %(status)s and cannot be handed out.") % {"status": record.get_status_display()}
        )
    record.status = RecordStatus.ON_LOAN
    return _save(record, reason, by)


@transaction.atomic
def record_check_in(*, record, reason, by=None):
    """Custody returns to the shelf (called by lending)."""
    record = _locked(record)
    if record.status not in (RecordStatus.ON_LOAN, RecordStatus.MISSING):
        raise RecordActionRefused(_("The record is not out, so it cannot be taken back."))
    record.status = RecordStatus.FILED
    return _save(record, reason, by)


@transaction.atomic
def record_mark_missing(*, record, reason, by=None):
    """A record reported lost, on loan or from the shelf, goes to missing
    (R-LEND-5, R-INV-3); taking it back in (record_check_in) puts it on the
    shelf again when it turns up."""
    record = _locked(record)
    if record.status not in (RecordStatus.FILED, RecordStatus.ON_LOAN):
        raise RecordActionRefused(
            _("The record is %(status)s and cannot be marked missing.") % {"status": record.get_status_display()}
        )
    record.status = RecordStatus.MISSING
    return _save(record, reason, by)
