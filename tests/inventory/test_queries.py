"""A scan is a few indexed queries whatever the size of the stocktake; the
reconciliation a fixed number of grouped queries (R-INV-1, issue 13's
performance targets: 200 scans/s, opening 100,000 records in < 10 s)."""
import pytest
from django.utils import timezone

from inventory import selectors, services
from records.models import Record, RecordStatus
from tests.factories import category
from tests.inventory.support import scan, shelves, unit_of
from tests.query_counts import count_queries


def _fill(box, count, start):
    Record.objects.bulk_create([
        Record(archive_number=f"QC-{start + n:05d}", item_number=start + n + 1, title="盘点查询", category=category(),
               year=2024, status=RecordStatus.FILED, location=box)
        for n in range(count)
    ])


@pytest.mark.parametrize("size", [10, 1000])
def test_r_inv_1_a_scan_and_the_reconciliation_run_the_same_queries_at_any_size(archivist, size):
    _room, _cabinet, (box1, box2) = shelves(2)
    _fill(box1, size, 0)
    _fill(box2, size, size)
    stocktake = services.stocktake_open(year=timezone.localdate().year, locations=[], by=archivist)
    scan(stocktake, box1, "QC-00000", archivist)  # the user's permissions are read once
    unit = unit_of(stocktake, box1)
    with count_queries() as scanning:
        services.scan_record(unit=unit, code=f"QC-{size:05d}", by=archivist)  # misplaced: belongs in box 2
        services.scan_record(unit=unit, code="QC-00001", by=archivist)
    with count_queries() as reconciling:
        _per_unit, total = selectors.reconciliation(stocktake)
    # BEGIN, the box, the record with what the stocktake knows of it, the scan, COMMIT (no history row:
    # a scan is its own log).
    assert scanning.total == 2 * 5, scanning.statements
    assert reconciling.total == 9, reconciling.statements
    assert (total.expected, total.found, total.misplaced, total.missing) == (2 * size, 2, 1, 2 * size - 3)
