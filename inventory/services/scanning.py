"""Counting a box: each typed or scanned code answers at once (R-INV-1).
A scan is two indexed look-ups and one insert (a Scan keeps no history
table: it is its own log) in its own transaction; two people scanning the
same box at once each keep every scan.

Speed (issue 13: at least 200 scans a second): the two look-ups are
written as SQL, built once. Compiling them through the ORM (the record
with two correlated subqueries, the box with its stocktake) took about
80 % of a scan's CPU (cProfile, benchmarks/stocktake.py --profile): 11 ms
of 15 on a loaded 2-core machine, where running them takes under 1 ms."""
import functools

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.text_input import normalise_code
from inventory import policies
from inventory.exceptions import InventoryRefused
from inventory.models import Condition, Expected, Scan, ScanOutcome, Stocktake, StocktakeState, StocktakeUnit
from inventory.services._common import text
from records.models import Location, LocationKind, Record, RecordStatus
from records.selectors import visibility_condition

CODE_MAX_LENGTH = Scan._meta.get_field("code").max_length
ARCHIVE_NUMBER_MAX_LENGTH = Record._meta.get_field("archive_number").max_length


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


@functools.cache
def _unit_sql(vendor):
    """The box of a stocktake with its stocktake's state and number, the box
    row locked (PostgreSQL; SQLite's IMMEDIATE transaction holds the whole
    database): stocktake_close changes the box's is_open and so waits for
    the scan, or the scan for it."""
    lock = ""
    if connection.features.has_select_for_update_of:
        lock = " FOR UPDATE OF u"
    elif connection.features.has_select_for_update:
        lock = " FOR UPDATE"
    return (
        f"SELECT u.*, s.state AS stocktake_state, s.number AS stocktake_number "
        f"FROM {_table(StocktakeUnit)} u INNER JOIN {_table(Stocktake)} s ON s.id = u.stocktake_id "
        f"WHERE u.id = %s{lock}"
    )


@functools.cache
def _record_sql(vendor):
    """The record of an archive number with, in the same statement, the
    kind of its location, whether it was already counted in the stocktake
    (inventory_scan_record index) and the box the snapshot put it in
    (inventory_expected_record index; a record has one box, so the
    snapshot puts it in at most one unit)."""
    counting = ", ".join(["%s"] * len(ScanOutcome.counting()))
    return (
        f"SELECT r.*, l.kind AS location_kind, "
        f"EXISTS(SELECT 1 FROM {_table(Scan)} c WHERE c.stocktake_id = %s AND c.record_id = r.id "
        f"AND c.outcome IN ({counting})) AS already_counted, "
        f"(SELECT u.location_id FROM {_table(Expected)} e INNER JOIN {_table(StocktakeUnit)} u ON u.id = e.unit_id "
        f"WHERE e.record_id = r.id AND u.stocktake_id = %s LIMIT 1) AS expected_in "
        f"FROM {_table(Record)} r LEFT OUTER JOIN {_table(Location)} l ON l.id = r.location_id "
        f"WHERE r.archive_number = %s"
    )


def _locked_open_unit(unit):
    """Re-read the box under a row lock before any check; refused when its
    stocktake is closed."""
    locked = next(iter(StocktakeUnit.objects.raw(_unit_sql(connection.vendor), [unit.pk])), None)
    if locked is None:
        raise StocktakeUnit.DoesNotExist
    if locked.stocktake_state != StocktakeState.OPEN:
        raise InventoryRefused(
            _("Stocktake %(number)s is closed: nothing in it changes any more.") % {"number": locked.stocktake_number}
        )
    return locked


def _look_up(unit, code):
    """The record of `code` (None: no such record) with already_counted,
    expected_in (the snapshot's box id or None) and location_kind."""
    if len(code) > ARCHIVE_NUMBER_MAX_LENGTH:
        return None
    params = [unit.stocktake_id, *ScanOutcome.counting(), unit.stocktake_id, code]
    return next(iter(Record.objects.raw(_record_sql(connection.vendor), params)), None)


def _may_see(user, record):
    condition = visibility_condition(user)
    if condition is None:
        return False
    if condition == Q():
        return True
    return Record.objects.filter(condition, pk=record.pk).exists()


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
        if record.location_id and record.location_kind == LocationKind.BOX:
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
    damaged or decaying (R-INV-2). Each scan is its own committed
    transaction: a scan answered is a scan kept."""
    if not policies.may_run_stocktake(by):
        raise InventoryRefused(_("Only the archivist counts boxes."))
    locked = _locked_open_unit(unit)
    code = normalise_code(str(code or ""))
    if not code:
        raise InventoryRefused(_("Type or scan an archive number."), field="code")
    if condition not in Condition.values:
        raise InventoryRefused(_("Choose the item's condition."), field="condition")
    note = text(note, model=Scan, field="note")
    record = _look_up(locked, code)
    outcome, belongs_in = _outcome(locked, record, by)
    scan = Scan(
        stocktake_id=locked.stocktake_id, unit=unit, code=code[:CODE_MAX_LENGTH], record=record, outcome=outcome,
        belongs_in_id=belongs_in, condition=condition, note=note, by=by, at=timezone.now(),
    )
    # No history row: the scan is written once, never changed, and names
    # who and when itself (Scan's docstring, migration 0003).
    scan.save(force_insert=True)
    return scan
