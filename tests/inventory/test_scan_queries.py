"""A scan's statements, pinned (issue 13: at least 200 scans a second):
whatever it answers and however full the boxes, one scan is its
transaction, the box read (locked), the record read with what the
stocktake knows of it, and the scan inserted. No history row: a Scan is
its own log (inventory migration 0003)."""
import pytest
from django.utils import timezone

from inventory import services
from inventory.models import Scan, ScanOutcome
from records.models import Record, RecordStatus
from tests.factories import category
from tests.inventory.support import scan, shelves, unit_of
from tests.query_counts import count_queries

# SAVEPOINT (BEGIN outside a test's transaction), the box, the record, the scan, RELEASE (COMMIT).
STATEMENTS_A_SCAN = 5


def _fill(box, count, start, **fields):
    Record.objects.bulk_create([
        Record(archive_number=f"SQ-{start + n:05d}", item_number=start + n + 1, title="盘点语句", category=category(),
               year=2024, status=fields.get("status", RecordStatus.FILED), location=fields.get("location", box))
        for n in range(count)
    ])


@pytest.mark.parametrize("size", [10, 1000])
def test_r_inv_1_every_scan_runs_the_same_five_statements_whatever_it_answers(archivist, size):
    _room, _cabinet, (box1, box2) = shelves(2)
    _fill(box1, size, 0)
    _fill(box2, size, size)
    _fill(box1, 1, 50_000, status=RecordStatus.ON_LOAN)
    _fill(None, 1, 60_000)  # filed in no box: not on the books of a shelf
    stocktake = services.stocktake_open(year=timezone.localdate().year, locations=[], by=archivist)
    scan(stocktake, box1, "SQ-00000", archivist)  # the user's permissions are read once
    unit = unit_of(stocktake, box1)
    codes = {
        ScanOutcome.FOUND: "SQ-00001",
        ScanOutcome.MISPLACED: f"SQ-{size:05d}",
        ScanOutcome.EXTRA: "SQ-60000",
        ScanOutcome.ON_LOAN: "SQ-50000",
        ScanOutcome.ALREADY_COUNTED: "SQ-00000",
        ScanOutcome.UNKNOWN: "SQ-NO-SUCH",
    }
    for outcome, code in codes.items():
        with count_queries() as counted:
            answered = services.scan_record(unit=unit, code=code, by=archivist)
        assert answered.outcome == outcome
        assert counted.total == STATEMENTS_A_SCAN, (outcome, counted.statements)
        assert not any("historical" in sql.lower() for sql in counted.statements), counted.statements
    assert Scan.objects.filter(stocktake=stocktake).count() == 1 + len(codes)
