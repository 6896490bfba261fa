"""A stocktake world for the registers' tests (tests/inventory/
test_registers*.py), and readers of the files they print."""
import io
import re

import openpyxl
from django.utils import timezone
from pypdf import PdfReader

from inventory import services
from inventory.models import Condition, DifferenceKind, Resolution
from tests.inventory.support import filed_in, on_loan, scan, shelves

YEAR = timezone.localdate().year


def pdf_text(content):
    """The PDF's text without white space: pypdf breaks Chinese at line ends."""
    return re.sub(r"\s+", "", "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages))


def workbook(content):
    return openpyxl.load_workbook(io.BytesIO(content))


def sheet_rows(sheet):
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def cells(sheet):
    return [str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None]


def counted_stocktake(archivist, filed_record):
    """Box 1: a found, a damaged found, a missing, one on loan and an extra
    item; box 2: one of its records found in box 1 (misplaced), one found
    in place. The missing one is marked missing, the misplaced one moved;
    the extra and the damaged ones are left unresolved."""
    _room, _cabinet, (box1, box2) = shelves(2)
    found, damaged, lost, lent = filed_in(filed_record, box1, 4)
    strayed, home = filed_in(filed_record, box2, 2)
    unboxed = filed_record(title="账外档案")
    on_loan(lent, archivist)
    stocktake = services.stocktake_open(year=YEAR, locations=[box1, box2], by=archivist)
    scan(stocktake, box1, found, archivist)
    scan(stocktake, box1, damaged, archivist, condition=Condition.DAMAGED, note="水渍")
    scan(stocktake, box1, strayed, archivist)
    scan(stocktake, box1, unboxed, archivist)
    scan(stocktake, box2, home, archivist)
    services.difference_resolve(stocktake=stocktake, record=lost, kind=DifferenceKind.MISSING,
                                resolution=Resolution.MARKED_MISSING, by=archivist, note="全面查找未果")
    services.difference_resolve(stocktake=stocktake, record=strayed, kind=DifferenceKind.MISPLACED,
                                resolution=Resolution.MOVED, location=box2, by=archivist)
    names = dict(found=found, damaged=damaged, lost=lost, lent=lent, strayed=strayed, home=home, unboxed=unboxed)
    return stocktake, box1, box2, names


def resolve_the_rest(stocktake, names, archivist):
    services.difference_resolve(stocktake=stocktake, record=names["unboxed"], kind=DifferenceKind.EXTRA,
                                resolution=Resolution.FILED_EXTRA, by=archivist)
    services.difference_resolve(stocktake=stocktake, record=names["damaged"], kind=DifferenceKind.DAMAGED,
                                resolution=Resolution.ACCEPTED, by=archivist, note="轻微水渍")


