"""Write-offs (核销, R-INV-3): the archivist asks for a record to be struck
off the books for transfer, void or loss, with the reason and the evidence
(the record's own files, uploaded under records' attachment rules); the
department head approves or refuses, never their own request; approval
writes the record off through records.services.record_write_off."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import save_with_history
from inventory import policies, selectors
from inventory.exceptions import InventoryRefused
from inventory.models import DifferenceKind, Resolution, WriteOff, WriteOffKind, WriteOffState
from inventory.reasons import InventoryReason
from inventory.services._common import locked_stocktake, records_refusals, refuse_unless_open, text
from inventory.services.differences import save_resolution
from records import services as records_services
from records.models import Record, RecordStatus
from records.selectors import is_held

# Struck off from the shelf or after it went missing; a record on loan comes back first.
WRITABLE_OFF_STATES = (RecordStatus.FILED, RecordStatus.MISSING)


def _refuse_record(record):
    if record.status not in WRITABLE_OFF_STATES:
        raise InventoryRefused(
            _("%(record)s is %(status)s and cannot be written off.")
            % {"record": record.archive_number, "status": record.get_status_display()}
        )
    if is_held(record):
        raise InventoryRefused(
            _("%(record)s is frozen by a hold and cannot be written off.") % {"record": record.archive_number}
        )
    if WriteOff.objects.filter(record=record, state=WriteOffState.REQUESTED).exists():
        raise InventoryRefused(
            _("A write-off of %(record)s already waits for the department head.") % {"record": record.archive_number}
        )


def _evidence(record, evidence):
    evidence = list(evidence or [])
    if not evidence:
        raise InventoryRefused(_("Add the evidence: at least one file of the record."), field="evidence")
    if any(attachment.record_id != record.pk or attachment.destroyed_at for attachment in evidence):
        raise InventoryRefused(_("The evidence must be files of this record."), field="evidence")
    return evidence


def _resolve_in_stocktake(stocktake, record, by, reason):
    """A write-off asked from a stocktake resolves the record's missing
    difference there, unless it was resolved already (marked missing
    first) (R-INV-1)."""
    stocktake = locked_stocktake(stocktake)
    refuse_unless_open(stocktake)
    difference = selectors.difference_of(stocktake, record, DifferenceKind.MISSING)
    if difference is not None and not difference.is_resolved:
        save_resolution(stocktake, difference, Resolution.WRITE_OFF_OPENED, by, reason)
    return stocktake


@transaction.atomic
def write_off_request(*, record, kind, reason, evidence, by, stocktake=None):
    """Ask for `record` to be struck off for transfer, void or loss, with
    the reason and the evidence (R-INV-3). Refused for a record on loan,
    frozen by a hold, already struck off, or with a request pending. From
    a stocktake, it resolves the record's missing difference."""
    if not policies.may_request_write_off(by):
        raise InventoryRefused(_("Only the archivist asks for a write-off."))
    record = Record.objects.select_for_update().get(pk=record.pk)
    if kind not in WriteOffKind.values:
        raise InventoryRefused(_("Choose transfer, void or loss."), field="kind")
    reason = text(reason, model=WriteOff, field="reason", missing=_("Reason: say why the record is struck off."))
    _refuse_record(record)
    evidence = _evidence(record, evidence)
    if stocktake is not None:
        stocktake = _resolve_in_stocktake(stocktake, record, by, reason)
    write_off = WriteOff(
        record=record, stocktake=stocktake, kind=kind, reason=reason, requested_by=by, requested_at=timezone.now()
    )
    save_with_history(write_off, by=by, reason=InventoryReason.WRITE_OFF_REQUESTED)
    write_off.evidence.set(evidence)
    return write_off


def _locked_pending(write_off, by):
    write_off = WriteOff.objects.select_for_update().select_related("record").get(pk=write_off.pk)
    if write_off.state != WriteOffState.REQUESTED:
        raise InventoryRefused(
            _("This write-off is already decided: %(state)s.") % {"state": write_off.get_state_display()}
        )
    if not policies.may_decide_write_off(by, write_off):
        raise InventoryRefused(_("Only the department head decides a write-off, and never their own request."))
    return write_off


@transaction.atomic
def write_off_approve(*, write_off, by):
    """The department head approves: the record becomes WRITTEN_OFF, its
    archive number never given again (R-INV-3). Refused, with nothing
    changed, when records refuses (lent or frozen since the request)."""
    write_off = _locked_pending(write_off, by)
    with records_refusals():
        records_services.record_write_off(
            record=write_off.record, reason=f"{write_off.get_kind_display()}：{write_off.reason}", by=by
        )
    write_off.state, write_off.decided_by, write_off.decided_at = WriteOffState.APPROVED, by, timezone.now()
    return save_with_history(write_off, by=by, reason=InventoryReason.WRITE_OFF_APPROVED)


@transaction.atomic
def write_off_refuse(*, write_off, by, reason):
    """The department head refuses, saying why; the record stays as it is."""
    write_off = _locked_pending(write_off, by)
    write_off.refusal_reason = text(
        reason, model=WriteOff, field="refusal_reason", missing=_("Reason for refusal: say why.")
    )
    write_off.state, write_off.decided_by, write_off.decided_at = WriteOffState.REFUSED, by, timezone.now()
    return save_with_history(write_off, by=by, reason=InventoryReason.WRITE_OFF_REFUSED)
