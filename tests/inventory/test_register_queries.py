"""The registers read a fixed number of queries whatever the number of
differences or write-offs (tests/query_counts.py counts every statement)."""
import pytest
from django.utils import timezone

from inventory import services
from inventory.models import WriteOff
from inventory.registers import stocktake_report, write_off_register
from records.models import Record, RecordStatus
from tests.factories import category
from tests.inventory.support import scan, shelves
from tests.query_counts import count_queries

YEAR = timezone.localdate().year


def _fill(box, count, prefix, start=0):
    return Record.objects.bulk_create([
        Record(archive_number=f"{prefix}-{n:05d}", item_number=start + n + 1, title="盘点报告查询", category=category(),
               year=2024, status=RecordStatus.FILED, location=box)
        for n in range(count)
    ])


def _report_queries(reader, stocktake):
    with count_queries() as counted:
        register = stocktake_report(reader, stocktake)
        register.to_xlsx()
    return counted.total, register


@pytest.mark.parametrize("size", [10, 1000])
def test_the_report_reads_the_same_queries_for_10_and_1000_differences(archivist, size):
    """Every record of box 1 but one is missing, one of box 2 is misplaced
    in box 1: `size` differences, resolved or not."""
    _room, _cabinet, (box1, box2) = shelves(2)
    _fill(box1, size, "QA")
    (stray,) = _fill(box2, 1, "QB", start=size)
    stocktake = services.stocktake_open(year=YEAR, locations=[], by=archivist)
    scan(stocktake, box1, "QA-00000", archivist)
    scan(stocktake, box1, stray, archivist)
    stocktake_report(archivist, stocktake).to_xlsx()  # the user's permissions are read once
    total, register = _report_queries(archivist, stocktake)
    assert register.row_count == size + 2  # the differences and the two boxes' totals
    # The stocktake's boxes, the reconciliation, the differences and their
    # resolutions, the records named as the reader may see them, the box a
    # misplaced one belongs in, the stocktake's people and scope.
    assert total == 19, size


@pytest.mark.parametrize("size", [10, 500])
def test_the_write_off_register_reads_the_same_queries_for_10_and_500_write_offs(archivist, size):
    _room, _cabinet, (box,) = shelves(1)
    records = _fill(box, size, "WO")
    now = timezone.now()
    WriteOff.objects.bulk_create([
        WriteOff(record=record, kind="loss", reason="遗失", requested_by=archivist, requested_at=now)
        for record in records
    ])
    write_off_register(archivist, YEAR).to_xlsx()
    with count_queries() as counted:
        register = write_off_register(archivist, YEAR)
        register.to_xlsx()
    assert register.row_count == size
    # The year's states (the totals line), the reader's scope, the rows with
    # their records and people, and the evidence of each 500 rows.
    assert counted.total == 4, counted.statements
