"""Counting a box: each typed or scanned code answers at once (R-INV-1).
A scan is a few indexed look-ups and one insert (with its history row);
two people scanning the same box at once each keep every scan."""
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import save_with_history
from core.text_input import normalise_code
from inventory import policies
from inventory.exceptions import InventoryRefused
from inventory.models import Condition, Expected, Scan, ScanOutcome
from inventory.reasons import InventoryReason
from inventory.services._common import locked_unit, refuse_unless_open, text
from records.models import LocationKind, Record, RecordStatus
from records.selectors import visibility_condition

CODE_MAX_LENGTH = Scan._meta.get_field("code").max_length


def _may_see(user, record):
    condition = visibility_condition(user)
    if condition is None:
        return False
    if condition == Q():
        return True
    return Record.objects.filter(condition, pk=record.pk).exists()


def _look_up(unit, code):
    """The record of `code` with, in the same query, whether it was already
    counted in this stocktake and the box the snapshot put it in (None)."""
    if len(code) > Record._meta.get_field("archive_number").max_length:
        return None
    counted = Scan.objects.filter(
        stocktake_id=unit.stocktake_id, record=OuterRef("pk"), outcome__in=ScanOutcome.counting()
    )
    # A record has one box, so the snapshot puts it in at most one unit.
    expected_in = Expected.objects.filter(unit__stocktake_id=unit.stocktake_id, record=OuterRef("pk"))
    return (
        Record.objects.select_related("location")
        .annotate(already_counted=Exists(counted), expected_in=Subquery(expected_in.values("unit__location_id")[:1]))
        .filter(archive_number=code)
        .first()
    )


def _where_it_belongs(unit, record):
    """(outcome, box it belongs in) for a record on the books and not yet
    counted: found here when the snapshot or the ledger now puts it in
    this box; misplaced when either puts it in another box; otherwise not
    on the books (no box, or not filed)."""
    if unit.location_id in (record.expected_in, record.location_id):
        return ScanOutcome.FOUND, None
    if record.status in RecordStatus.on_the_books():
        if record.expected_in:
            return ScanOutcome.MISPLACED, record.expected_in
        if record.location_id and record.location.kind == LocationKind.BOX:
            return ScanOutcome.MISPLACED, record.location_id
    return ScanOutcome.EXTRA, None


def _outcome(unit, record, by):
    """(outcome, box it belongs in) of scanning `record` into `unit`."""
    if record is None:
        return ScanOutcome.UNKNOWN, None
    if not _may_see(by, record):
        return ScanOutcome.NOT_VISIBLE, None
    if record.status in policies.STRUCK_OFF_STATES:
        return ScanOutcome.STRUCK_OFF, None
    if record.already_counted:
        return ScanOutcome.ALREADY_COUNTED, None
    if record.status == RecordStatus.ON_LOAN:
        return ScanOutcome.ON_LOAN, None
    return _where_it_belongs(unit, record)


@transaction.atomic
def scan_record(*, unit, code, by, condition=Condition.OK, note=""):
    """Record one code typed or scanned into a box of an open stocktake and
    return the Scan with its outcome (R-INV-1): found here, belongs in box
    X (misplaced), not on the books (extra), already counted, on loan per
    the register (conflict), struck off (destroyed, written off,
    transferred), or unknown. A record the scanner may not see is logged
    as such and answered as unknown. The archivist may note the item
    damaged or decaying (R-INV-2)."""
    if not policies.may_run_stocktake(by):
        raise InventoryRefused(_("Only the archivist counts boxes."))
    unit = locked_unit(unit)
    refuse_unless_open(unit.stocktake)
    code = normalise_code(str(code or ""))
    if not code:
        raise InventoryRefused(_("Type or scan an archive number."), field="code")
    if condition not in Condition.values:
        raise InventoryRefused(_("Choose the item's condition."), field="condition")
    note = text(note, model=Scan, field="note")
    record = _look_up(unit, code)
    outcome, belongs_in = _outcome(unit, record, by)
    scan = Scan(
        stocktake_id=unit.stocktake_id, unit=unit, code=code[:CODE_MAX_LENGTH], record=record, outcome=outcome,
        belongs_in_id=belongs_in, condition=condition, note=note, by=by, at=timezone.now(),
    )
    return save_with_history(scan, by=by, reason=InventoryReason.SCANNED)
