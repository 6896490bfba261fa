"""Incidents: late return, damage or loss, each naming the borrower, and
their resolution (R-LEND-5). A loss moves the record to missing through
records.services.record_mark_missing."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import acting_as, save_with_history
from lending import notices
from lending.exceptions import LendingRefused
from lending.models import Incident, IncidentKind
from lending.services._common import _local, _locked_loan, _require_handler
from records.exceptions import RecordActionRefused
from lending.reasons import LendingReason
from records.history import ChangeReason
from records.services import record_mark_missing


def _open_incident(loan, by, kind, description):
    incident = Incident(
        loan=loan, record_id=loan.record_id, borrower_id=loan.borrower_id, kind=kind,
        description=description, opened_by=by,
    )
    save_with_history(incident, by=by, reason=LendingReason.INCIDENT_OPENED)
    notices.incident_opened(incident)
    return incident


@transaction.atomic
def incident_open(*, loan, by, kind, description=""):
    """The archivist records a late return, damage or loss, naming the
    borrower (R-LEND-5). A loss moves the record to missing."""
    _require_handler(by)
    if kind not in IncidentKind.values:
        raise LendingRefused(_("Choose what happened: late, damaged or lost."))
    description = (description or "").strip()
    if not description:
        raise LendingRefused(_("Description: say what happened."))
    loan = _locked_loan(loan)
    if Incident.objects.filter(loan=loan, kind=kind, resolved_at__isnull=True).exists():
        raise LendingRefused(
            _("This loan already has an open incident of this kind (%(kind)s).")
            % {"kind": IncidentKind(kind).label}
        )
    with acting_as(by):
        if kind == IncidentKind.LOST:
            if not loan.is_open:
                raise LendingRefused(_("This loan is closed: the record came back, so it is not lost on this loan."))
            try:
                record_mark_missing(record=loan.record, reason=ChangeReason.MARKED_MISSING, by=by)
            except RecordActionRefused as exc:
                raise LendingRefused(str(exc)) from None
        return _open_incident(loan, by, kind, description)


@transaction.atomic
def incident_resolve(*, incident, by, resolution):
    """Close an incident with what was done about it."""
    _require_handler(by)
    resolution = (resolution or "").strip()
    if not resolution:
        raise LendingRefused(_("Resolution: say how the incident was settled."))
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.resolved_at is not None:
        raise LendingRefused(
            _("This incident was resolved on %(date)s.") % {"date": _local(incident.resolved_at)}
        )
    with acting_as(by):
        incident.resolved_at = timezone.now()
        incident.resolution = resolution
        save_with_history(incident, by=by, reason=LendingReason.INCIDENT_RESOLVED)
    return incident
