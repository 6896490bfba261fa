"""Counting a box (R-INV-1): each code answers at once; damaged or
decaying items are noted (R-INV-2)."""
import pytest
from django.utils import timezone, translation

from inventory import services
from inventory.exceptions import InventoryRefused
from inventory.models import Condition, Scan, ScanOutcome
from records.models import SecurityLevel
from records.services import record_destroy
from tests.factories import RecordFactory
from tests.inventory.support import (
    counter_without_confidential,
    filed_in,
    fresh,
    on_loan,
    scan,
    shelves,
    state,
    unit_of,
)

YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def two_boxes(archivist, filed_record):
    _room, _cabinet, boxes = shelves(2)
    return boxes


def _open(archivist, boxes):
    return services.stocktake_open(year=YEAR, locations=boxes, by=archivist)


def test_r_inv_1_each_scan_answers_where_the_item_belongs(archivist, filed_record, two_boxes):
    box1, box2 = two_boxes
    here, elsewhere, lent = filed_in(filed_record, box1, 3)
    in_box2 = filed_in(filed_record, box2)[0]
    unboxed = filed_record()
    destroyed = filed_record(year=2000, retention_years=10, location=box1)
    stocktake = _open(archivist, two_boxes)
    on_loan(lent, archivist)
    record_destroy(record=destroyed, reason="销毁", by=archivist)

    outcomes = [
        scan(stocktake, box1, code, archivist)
        for code in (here, here, in_box2, unboxed, lent, destroyed, "HT-NO-SUCH-0001")
    ]

    assert [s.outcome for s in outcomes] == [
        ScanOutcome.FOUND, ScanOutcome.ALREADY_COUNTED, ScanOutcome.MISPLACED, ScanOutcome.EXTRA,
        ScanOutcome.ON_LOAN, ScanOutcome.STRUCK_OFF, ScanOutcome.UNKNOWN,
    ]
    assert outcomes[2].belongs_in == box2
    assert outcomes[6].record is None and outcomes[6].code == "HT-NO-SUCH-0001"
    # Counted once in the stocktake, whichever box scans it again.
    assert scan(stocktake, box2, in_box2, archivist).outcome == ScanOutcome.ALREADY_COUNTED
    assert scan(stocktake, box2, elsewhere, archivist).outcome == ScanOutcome.MISPLACED
    # The scan is its own log: who and when, with no history table beside it.
    kept = Scan.objects.get(pk=outcomes[0].pk)
    assert (kept.by, kept.code, kept.outcome) == (archivist, here.archive_number, ScanOutcome.FOUND)
    assert kept.at is not None and not hasattr(Scan, "history")


def test_r_inv_1_a_record_filed_into_the_box_since_opening_is_found_there(archivist, filed_record, two_boxes):
    box1, _box2 = two_boxes
    stocktake = _open(archivist, two_boxes)
    later = filed_in(filed_record, box1)[0]
    assert scan(stocktake, box1, later, archivist).outcome == ScanOutcome.FOUND


@pytest.mark.parametrize(
    "typed",
    ["{n}\r", "{n}\n", "{n}\t", "  {n}  ", "{wide}", "\u200b{n}"],
    ids=["CR", "LF", "TAB", "spaces", "full-width", "zero-width space"],
)
def test_r_inv_1_a_keyboard_wedge_scanner_s_code_is_read_as_the_archive_number(
    archivist, filed_record, two_boxes, typed
):
    box1, _box2 = two_boxes
    record = filed_in(filed_record, box1)[0]
    stocktake = _open(archivist, two_boxes)
    number = record.archive_number
    wide = "".join(chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char for char in number)
    result = scan(stocktake, box1, typed.format(n=number, wide=wide), archivist)
    assert (result.outcome, result.record, result.code) == (ScanOutcome.FOUND, record, number)


def test_r_inv_1_a_confidential_record_the_scanner_may_not_see_is_answered_unknown_and_logged(
    archivist, filed_record, two_boxes
):
    box1, _box2 = two_boxes
    secret = filed_in(filed_record, box1, security_level=SecurityLevel.CONFIDENTIAL)[0]
    stocktake = _open(archivist, two_boxes)
    counter = counter_without_confidential()

    result = scan(stocktake, box1, secret, counter)

    assert result.outcome == ScanOutcome.NOT_VISIBLE
    assert result.shown_outcome == ScanOutcome.UNKNOWN
    assert result.record == secret and result.by == counter


def test_r_inv_1_two_people_counting_one_box_both_keep_their_scans(archivist, filed_record, two_boxes):
    box1, _box2 = two_boxes
    first, second = filed_in(filed_record, box1, 2)
    stocktake = _open(archivist, two_boxes)
    colleague = counter_without_confidential("second_counter")
    unit = unit_of(stocktake, box1)
    services.scan_record(unit=unit, code=first.archive_number, by=archivist)
    services.scan_record(unit=unit, code=second.archive_number, by=colleague)
    services.scan_record(unit=unit, code=first.archive_number, by=colleague)
    rows = list(Scan.objects.filter(unit=unit).order_by("pk").values_list("record", "by", "outcome"))
    assert rows == [
        (first.pk, archivist.pk, ScanOutcome.FOUND),
        (second.pk, colleague.pk, ScanOutcome.FOUND),
        (first.pk, colleague.pk, ScanOutcome.ALREADY_COUNTED),
    ]


def test_r_inv_2_an_item_is_noted_damaged_or_decaying(archivist, filed_record, two_boxes):
    box1, _box2 = two_boxes
    record = filed_in(filed_record, box1)[0]
    stocktake = _open(archivist, two_boxes)
    result = scan(stocktake, box1, record, archivist, condition=Condition.DECAYING, note="纸张发黄脆裂")
    assert (result.condition, result.note) == (Condition.DECAYING, "纸张发黄脆裂")


@pytest.mark.parametrize(
    "code, kwargs, message",
    [
        ("\r\n", {}, "Type or scan an archive number"),
        ("X", {"condition": "broken"}, "Choose the item's condition"),
        ("X", {"note": "坏\x00"}, "control character"),
        ("X", {"note": "长" * 301}, "at most 300 characters"),
    ],
)
def test_r_inv_1_a_scan_without_a_code_or_with_bad_input_is_refused(archivist, two_boxes, code, kwargs, message):
    box1, _box2 = two_boxes
    stocktake = _open(archivist, two_boxes)
    before = state()
    with pytest.raises(InventoryRefused, match=message):
        scan(stocktake, box1, code, archivist, **kwargs)
    assert state() == before


@pytest.mark.parametrize("role", ["staff", "department_head", "leadership"])
def test_r_inv_1_only_those_who_file_records_count(request, archivist, two_boxes, role):
    box1, _box2 = two_boxes
    stocktake = _open(archivist, two_boxes)
    record = RecordFactory()
    before = state()
    with pytest.raises(InventoryRefused, match="Only the archivist"):
        scan(stocktake, box1, record.title, request.getfixturevalue(role))
    assert state() == before


def test_r_inv_1_marking_a_box_counted(archivist, two_boxes):
    box1, _box2 = two_boxes
    stocktake = _open(archivist, two_boxes)
    unit = services.unit_mark_counted(unit=unit_of(stocktake, box1), by=archivist)
    assert (fresh(unit).counted_by, fresh(unit).counted_at is not None) == (archivist, True)
    before = state()
    with pytest.raises(InventoryRefused, match="already marked counted"):
        services.unit_mark_counted(unit=unit, by=archivist)
    assert state() == before
