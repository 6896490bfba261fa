"""Counting a box: each typed or scanned code answers at once (R-INV-1).
A scan is a few indexed look-ups and one insert (with its history row);
two people scanning the same box at once each keep every scan."""
import unicodedata

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import save_with_history
from inventory import policies
from inventory.exceptions import InventoryRefused
from inventory.models import Condition, Expected, Scan, ScanOutcome
from inventory.reasons import InventoryReason
from inventory.services._common import locked_unit, refuse_unless_open, text
from records.models import LocationKind, Record, RecordStatus
from records.selectors import visibility_condition

CODE_MAX_LENGTH = Scan._meta.get_field("code").max_length


def normalize_code(code):
    """What a keyboard-wedge scanner or a person typed, as an archive
    number: full-width characters made half-width (NFKC), every control
    and invisible character (the scanner's CR, LF or TAB) and surrounding
    space removed."""
    code = unicodedata.normalize("NFKC", str(code or ""))
    code = "".join(char for char in code if unicodedata.category(char) not in ("Cc", "Cf", "Zl", "Zp"))
    return code.strip()


def _may_see(user, record):
    condition = visibility_condition(user)
    if condition is None:
        return False
    if condition == Q():
        return True
    return Record.objects.filter(condition, pk=record.pk).exists()


def _already_counted(unit, record):
    return Scan.objects.filter(
        stocktake_id=unit.stocktake_id, record=record, outcome__in=ScanOutcome.counting()
    ).exists()


def _where_it_belongs(unit, record):
    """(outcome, box it belongs in) for a record on the books and not yet
    counted: found here when the snapshot or the ledger now puts it in
    this box; misplaced when either puts it in another box; otherwise not
    on the books (no box, or not filed)."""
    expected_in = list(
        Expected.objects.filter(unit__stocktake_id=unit.stocktake_id, record=record).values_list(
            "unit__location_id", flat=True
        )[:1]
    )
    if unit.location_id in expected_in or record.location_id == unit.location_id:
        return ScanOutcome.FOUND, None
    if record.status in RecordStatus.on_the_books():
        if expected_in:
            return ScanOutcome.MISPLACED, expected_in[0]
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
    if _already_counted(unit, record):
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
    code = normalize_code(code)
    if not code:
        raise InventoryRefused(_("Type or scan an archive number."), field="code")
    if condition not in Condition.values:
        raise InventoryRefused(_("Choose the item's condition."), field="condition")
    note = text(note, model=Scan, field="note")
    record = None
    if len(code) <= Record._meta.get_field("archive_number").max_length:
        record = Record.objects.select_related("location").filter(archive_number=code).first()
    outcome, belongs_in = _outcome(unit, record, by)
    scan = Scan(
        stocktake_id=unit.stocktake_id, unit=unit, code=code[:CODE_MAX_LENGTH], record=record, outcome=outcome,
        belongs_in_id=belongs_in, condition=condition, note=note, by=by, at=timezone.now(),
    )
    return save_with_history(scan, by=by, reason=InventoryReason.SCANNED)
