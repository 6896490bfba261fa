"""Opening, counting and closing a stocktake (R-INV-1). Opening takes the
snapshot of what the ledger says each box holds, set-based; closing is
refused while a difference is unresolved."""
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.history import save_with_history
from core.text import join_items
from inventory import policies, selectors
from inventory.exceptions import InventoryRefused, UnresolvedDifferences
from inventory.models import Expected, ExpectedStatus, Stocktake, StocktakeState, StocktakeUnit
from inventory.numbering import allocate_stocktake_number
from inventory.reasons import InventoryReason
from inventory.services._common import locked_stocktake, locked_unit, refuse_unless_open
from records.models import Location, LocationKind, Record, RecordStatus
from records.models.record import RECORD_YEARS

EXPECTED_STATUS = {
    RecordStatus.FILED: ExpectedStatus.ON_SHELF,
    RecordStatus.ON_LOAN: ExpectedStatus.ON_LOAN,
    RecordStatus.MISSING: ExpectedStatus.MISSING,
}
# Named in a refusal; the rest are counted.
NAMED_AT_MOST = 20


def _year(year):
    this_year = timezone.localdate().year
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise InventoryRefused(_("Year: enter a year such as %(year)d.") % {"year": this_year}, field="year") from None
    if not RECORD_YEARS[0] <= year <= this_year:
        raise InventoryRefused(
            _("Year: a stocktake is of this year (%(year)d) or an earlier one.") % {"year": this_year}, field="year"
        )
    return year


def _boxes(locations):
    """Ids of the boxes in use inside `locations` (every box when empty)."""
    boxes = Location.objects.filter(kind=LocationKind.BOX, is_active=True)
    if locations:
        inside = set()
        for location in locations:
            inside.update(location.descendant_ids())
        boxes = boxes.filter(pk__in=inside)
    box_ids = list(boxes.order_by("full_code").values_list("pk", flat=True))
    if not box_ids:
        raise InventoryRefused(_("There is no box in use in what you chose: nothing to count."), field="locations")
    return box_ids


def snapshot_size(*, locations):
    """(boxes, records) the snapshot of a stocktake of `locations` (none:
    the whole archive) would hold if opened now: the confirmation step of
    the opening screen shows it. Refused like stocktake_open when no box
    is in use there (R-INV-1)."""
    box_ids = _boxes(list(locations or []))
    records = Record.objects.filter(location_id__in=box_ids, status__in=list(EXPECTED_STATUS)).count()
    return len(box_ids), records


def _refuse_boxes_in_open_stocktakes(box_ids):
    busy = StocktakeUnit.objects.filter(is_open=True, location_id__in=box_ids).select_related("location", "stocktake")
    busy = list(busy.order_by("location__full_code")[: NAMED_AT_MOST + 1])
    if busy:
        raise InventoryRefused(
            _("These boxes are already being counted in an open stocktake: %(boxes)s. Close it first.")
            % {"boxes": join_items(f"{unit.location.full_code} ({unit.stocktake.number})" for unit in busy[:NAMED_AT_MOST])},
            field="locations",
        )


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _take_snapshot(stocktake):
    """One Expected row per record on the books in each box of the
    stocktake (R-INV-1), in one INSERT ... SELECT: the database copies the
    rows, none passes through Python. (Read as tuples and written with
    bulk_create, 100,000 records took most of a 16 s opening on a loaded
    2-core machine, building and binding the rows one by one.)"""
    cases = " ".join("WHEN %s THEN %s" for _status in EXPECTED_STATUS)
    statuses = ", ".join("%s" for _status in EXPECTED_STATUS)
    sql = (
        f"INSERT INTO {_table(Expected)} (unit_id, record_id, status_at_opening) "
        f"SELECT u.id, r.id, CASE r.status {cases} END "
        f"FROM {_table(Record)} r INNER JOIN {_table(StocktakeUnit)} u ON u.location_id = r.location_id "
        f"WHERE u.stocktake_id = %s AND r.status IN ({statuses})"
    )
    params = [value for pair in EXPECTED_STATUS.items() for value in pair]
    params += [stocktake.pk, *EXPECTED_STATUS]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


@transaction.atomic
def stocktake_open(*, year, locations, by):
    """Open a stocktake of `year` for the boxes inside `locations` (rooms,
    cabinets, shelves or boxes; none: the whole archive), numbered
    PD-YYYY-NNNN, and take the snapshot of what the ledger says each box
    holds: on the shelf, on loan or missing (R-INV-1). A box already in an
    open stocktake is refused (inventory_unit_one_open_per_box guards it
    too). Filing and lending go on meanwhile."""
    if not policies.may_run_stocktake(by):
        raise InventoryRefused(_("Only the archivist runs stocktakes."))
    year = _year(year)
    locations = list(locations or [])
    box_ids = _boxes(locations)
    _refuse_boxes_in_open_stocktakes(box_ids)
    now = timezone.now()
    stocktake = Stocktake(
        number=allocate_stocktake_number(now.year), year=year, whole_archive=not locations, opened_by=by, opened_at=now
    )
    save_with_history(stocktake, by=by, reason=InventoryReason.STOCKTAKE_OPENED)
    if locations:
        stocktake.scope.set(locations)
    try:
        with transaction.atomic():
            bulk_create_with_history(
                [StocktakeUnit(stocktake=stocktake, location_id=box_id) for box_id in box_ids],
                StocktakeUnit,
                batch_size=1000,
                default_user=by,
                default_change_reason=InventoryReason.UNIT_OPENED,
            )
    except IntegrityError:
        # Another stocktake took one of the boxes meanwhile.
        _refuse_boxes_in_open_stocktakes(box_ids)
        raise
    _take_snapshot(stocktake)
    return stocktake


@transaction.atomic
def unit_mark_counted(*, unit, by):
    """The archivist marks a box counted (R-INV-1); scanning into it still
    records what is scanned."""
    if not policies.may_run_stocktake(by):
        raise InventoryRefused(_("Only the archivist counts boxes."))
    unit = locked_unit(unit)
    refuse_unless_open(unit.stocktake)
    if unit.counted_at is not None:
        raise InventoryRefused(
            _("Box %(box)s was already marked counted.") % {"box": unit.location.full_code}
        )
    unit.counted_by, unit.counted_at = by, timezone.now()
    return save_with_history(unit, by=by, reason=InventoryReason.UNIT_COUNTED)


def _refuse_unresolved(stocktake):
    unresolved = selectors.unresolved_differences(stocktake)
    if not unresolved:
        return
    numbers = dict(
        Record.objects.filter(pk__in=[item.record_id for item in unresolved[:NAMED_AT_MOST]]).values_list(
            "pk", "archive_number"
        )
    )
    named = join_items(f"{numbers.get(item.record_id)} ({item.kind.label})" for item in unresolved[:NAMED_AT_MOST])
    raise UnresolvedDifferences(
        _("Stocktake %(number)s has %(count)d unresolved differences: %(named)s. Resolve each before closing.")
        % {"number": stocktake.number, "count": len(unresolved), "named": named},
        differences=unresolved,
    )


@transaction.atomic
def stocktake_close(*, stocktake, by):
    """Close the stocktake: it is frozen, and its boxes may be counted in
    another. Refused, with the list, while a difference is unresolved
    (R-INV-1)."""
    if not policies.may_run_stocktake(by):
        raise InventoryRefused(_("Only the archivist closes stocktakes."))
    stocktake = locked_stocktake(stocktake)
    refuse_unless_open(stocktake)
    _refuse_unresolved(stocktake)
    now = timezone.now()
    stocktake.state, stocktake.closed_by, stocktake.closed_at = StocktakeState.CLOSED, by, now
    save_with_history(stocktake, by=by, reason=InventoryReason.STOCKTAKE_CLOSED)
    units = list(StocktakeUnit.objects.filter(stocktake=stocktake, is_open=True))
    for unit in units:
        unit.is_open = False
    bulk_update_with_history(
        units, StocktakeUnit, ["is_open"], batch_size=1000, default_user=by,
        default_change_reason=InventoryReason.UNIT_CLOSED,
    )
    return stocktake
