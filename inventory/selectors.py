"""Reads of the stocktake: progress of a box, the reconciliation per box
and in total, and the differences with their resolutions (R-INV-1). Each
is a handful of grouped queries, whatever the number of records."""
from dataclasses import dataclass, fields

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from inventory.models import (
    Condition,
    Difference,
    DifferenceKind,
    Expected,
    ExpectedStatus,
    RepairState,
    RepairTask,
    Scan,
    ScanOutcome,
    StocktakeUnit,
    WriteOff,
    WriteOffState,
)
from records.models import Record, RecordStatus
from records.selectors import visibility_condition


@dataclass
class Totals:
    """The reconciliation of one box, or of the whole stocktake (账物相符)."""

    expected: int = 0  # on the shelf per the ledger at opening
    found: int = 0  # counted in the box where the ledger puts it
    on_loan: int = 0  # out on loan per the ledger at opening
    missing: int = 0  # expected on the shelf, counted nowhere
    misplaced: int = 0  # counted here, belongs in another box
    extra: int = 0  # counted here, not on the books
    conflicts: int = 0  # counted here, on loan per the register
    damaged: int = 0  # noted damaged or decaying

    def add(self, other):
        for field in fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))

    @property
    def counted(self):
        return self.found + self.misplaced + self.extra + self.conflicts


@dataclass(frozen=True)
class FoundDifference:
    """A difference the reconciliation finds, with its resolution (a
    Difference row) if it has one."""

    kind: DifferenceKind
    record_id: int
    unit_id: int
    belongs_in_id: int | None = None
    resolution: Difference | None = None

    @property
    def is_resolved(self):
        return self.resolution is not None


def _counting_scan(stocktake_id):
    return Scan.objects.filter(stocktake_id=stocktake_id, record=OuterRef("record"), outcome__in=ScanOutcome.counting())


def _missing(stocktake, unit=None):
    """Expected on the shelf at opening, counted nowhere in the stocktake,
    and not lent out since."""
    rows = Expected.objects.filter(unit__stocktake=stocktake, status_at_opening=ExpectedStatus.ON_SHELF)
    if unit is not None:
        rows = rows.filter(unit=unit)
    return rows.exclude(record__status=RecordStatus.ON_LOAN).exclude(Exists(_counting_scan(stocktake.pk)))


def _scans(stocktake, unit=None):
    scans = Scan.objects.filter(stocktake=stocktake)
    return scans if unit is None else scans.filter(unit=unit)


def _by_unit(queryset, counted="pk", distinct=False):
    return dict(queryset.values_list("unit_id").annotate(n=Count(counted, distinct=distinct)).order_by())


def reconciliation(stocktake, unit=None):
    """(per box {unit id: Totals}, Totals of them all) for the stocktake,
    or for one of its boxes (R-INV-1)."""
    expected = Expected.objects.filter(unit__stocktake=stocktake)
    if unit is not None:
        expected = expected.filter(unit=unit)
    scans = _scans(stocktake, unit)
    columns = {
        "expected": _by_unit(expected.filter(status_at_opening=ExpectedStatus.ON_SHELF)),
        "on_loan": _by_unit(expected.filter(status_at_opening=ExpectedStatus.ON_LOAN)),
        "missing": _by_unit(_missing(stocktake, unit)),
        "damaged": _by_unit(scans.filter(record__isnull=False).exclude(condition=Condition.OK), "record", True),
    }
    for name, outcome in (("found", ScanOutcome.FOUND), ("misplaced", ScanOutcome.MISPLACED),
                          ("extra", ScanOutcome.EXTRA), ("conflicts", ScanOutcome.ON_LOAN)):
        columns[name] = _by_unit(scans.filter(outcome=outcome), "record", True)
    units = [unit.pk] if unit is not None else StocktakeUnit.objects.filter(stocktake=stocktake).values_list("pk", flat=True)
    per_unit = {pk: Totals(**{name: counts.get(pk, 0) for name, counts in columns.items()}) for pk in units}
    total = Totals()
    for totals in per_unit.values():
        total.add(totals)
    return per_unit, total


def unit_progress(unit):
    """(counted, expected) of a box: the records counted in it so far and
    those the ledger put on its shelf at opening."""
    counted = (
        Scan.objects.filter(unit=unit, outcome__in=ScanOutcome.counting(), record__isnull=False)
        .values("record").distinct().count()
    )
    expected = Expected.objects.filter(unit=unit, status_at_opening=ExpectedStatus.ON_SHELF).count()
    return counted, expected


_SCAN_KINDS = (
    (DifferenceKind.MISPLACED, {"outcome": ScanOutcome.MISPLACED}),
    (DifferenceKind.EXTRA, {"outcome": ScanOutcome.EXTRA}),
    (DifferenceKind.ON_LOAN, {"outcome": ScanOutcome.ON_LOAN}),
)


def differences(stocktake, unit=None):
    """Every difference of the stocktake (or of one box) in a fixed order,
    each with its resolution if it has one (R-INV-1)."""
    resolved = {
        (row.record_id, row.kind): row for row in Difference.objects.filter(stocktake=stocktake).select_related("resolved_by")
    }
    found, seen = [], set()

    def add(kind, record_id, unit_id, belongs_in_id=None):
        if (record_id, kind) not in seen:
            seen.add((record_id, kind))
            found.append(FoundDifference(kind, record_id, unit_id, belongs_in_id, resolved.get((record_id, kind))))

    for record_id, unit_id in _missing(stocktake, unit).order_by("unit_id", "record_id").values_list("record_id", "unit_id"):
        add(DifferenceKind.MISSING, record_id, unit_id)
    scans = _scans(stocktake, unit).filter(record__isnull=False).order_by("unit_id", "pk")
    for kind, condition in _SCAN_KINDS:
        for record_id, unit_id, belongs_in_id in scans.filter(**condition).values_list("record_id", "unit_id", "belongs_in_id"):
            add(kind, record_id, unit_id, belongs_in_id)
    for record_id, unit_id in scans.exclude(condition=Condition.OK).values_list("record_id", "unit_id"):
        add(DifferenceKind.DAMAGED, record_id, unit_id)
    for record_id, unit_id in _turned_up(scans).values_list("record_id", "unit_id"):
        add(DifferenceKind.TURNED_UP, record_id, unit_id)
    return found


def _turned_up(scans):
    """Counted in the stocktake while the register says missing."""
    return scans.filter(outcome__in=[ScanOutcome.FOUND, ScanOutcome.MISPLACED], record__status=RecordStatus.MISSING)


def unresolved_differences(stocktake):
    return [difference for difference in differences(stocktake) if not difference.is_resolved]


def difference_of(stocktake, record, kind):
    """The difference of `kind` the stocktake finds for `record`, or None."""
    for difference in differences_of_record(stocktake, record):
        if difference.kind == kind:
            return difference
    return None


def differences_of_record(stocktake, record):
    """The differences of one record in the stocktake (a few indexed queries)."""
    found = []
    missing = _missing(stocktake).filter(record=record).values_list("unit_id", flat=True).first()
    resolved = {row.kind: row for row in Difference.objects.filter(stocktake=stocktake, record=record)}
    if missing is not None:
        found.append(FoundDifference(DifferenceKind.MISSING, record.pk, missing, None, resolved.get(DifferenceKind.MISSING)))
    scans = Scan.objects.filter(stocktake=stocktake, record=record).order_by("pk")
    for kind, condition in _SCAN_KINDS:
        row = scans.filter(**condition).values_list("unit_id", "belongs_in_id").first()
        if row is not None:
            found.append(FoundDifference(kind, record.pk, row[0], row[1], resolved.get(kind)))
    damaged = scans.exclude(condition=Condition.OK).values_list("unit_id", flat=True).first()
    if damaged is not None:
        found.append(FoundDifference(DifferenceKind.DAMAGED, record.pk, damaged, None, resolved.get(DifferenceKind.DAMAGED)))
    turned_up = _turned_up(scans).values_list("unit_id", flat=True).first()
    if turned_up is not None:
        found.append(
            FoundDifference(DifferenceKind.TURNED_UP, record.pk, turned_up, None, resolved.get(DifferenceKind.TURNED_UP))
        )
    return found


def open_repair_tasks(user, record=None):
    """Open repair and copy tasks (R-INV-2) of records `user` may see,
    soonest due first: the archivist's home page and a record's page."""
    tasks = RepairTask.objects.filter(state=RepairState.OPEN).select_related("record")
    if record is not None:
        tasks = tasks.filter(record=record)
    condition = visibility_condition(user, through="record__")
    if condition is None:
        return tasks.none()
    return tasks.filter(condition).order_by("due_on", "pk")


def overdue_repair_tasks(user, today=None):
    """Open tasks past their due date (R-INV-2: repaired or copied at once)."""
    return open_repair_tasks(user).filter(due_on__lt=today or timezone.localdate())


def pending_write_offs(user):
    """Write-offs waiting for a decision, of records `user` may see (R-INV-3)."""
    condition = visibility_condition(user, through="record__")
    if condition is None:
        return WriteOff.objects.none()
    return (
        WriteOff.objects.filter(state=WriteOffState.REQUESTED)
        .filter(condition)
        .select_related("record", "requested_by")
        .order_by("requested_at", "pk")
    )


_SAME_STATUS = (
    Q(status_at_opening=ExpectedStatus.ON_SHELF, record__status=RecordStatus.FILED)
    | Q(status_at_opening=ExpectedStatus.ON_LOAN, record__status=RecordStatus.ON_LOAN)
    | Q(status_at_opening=ExpectedStatus.MISSING, record__status=RecordStatus.MISSING)
)


def changed_since_opening(stocktake, unit=None):
    """(snapshot rows whose record changed state or box since the opening,
    records put into the stocktake's boxes since): filing and lending go
    on during a stocktake, and the reconciliation shows what moved
    (R-INV-1)."""
    expected = Expected.objects.filter(unit__stocktake=stocktake)
    boxes = StocktakeUnit.objects.filter(stocktake=stocktake)
    if unit is not None:
        expected, boxes = expected.filter(unit=unit), boxes.filter(pk=unit.pk)
    changed = (
        expected.filter(~_SAME_STATUS | ~Q(record__location=F("unit__location")))
        .select_related("record__location", "unit__location")
        .order_by("unit__location__full_code", "record_id")
    )
    snapshot = Expected.objects.filter(unit__stocktake=stocktake, record=OuterRef("pk"))
    added = (
        Record.objects.filter(location__in=boxes.values("location_id"), status__in=RecordStatus.on_the_books())
        .exclude(Exists(snapshot))
        .select_related("location")
        .order_by("location__full_code", "pk")
    )
    return changed, added
