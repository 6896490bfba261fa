"""Reconciliation (账物相符, R-INV-1): per box and in total; each
difference resolved; closing refused while one is not."""
import pytest
from django.utils import timezone, translation

from inventory import selectors, services
from inventory.exceptions import InventoryRefused, UnresolvedDifferences
from inventory.models import Condition, DifferenceKind, Resolution, StocktakeState
from inventory.reasons import InventoryReason
from records.models import RecordStatus
from records.services import record_check_in
from tests.inventory.support import filed_in, fresh, missing, on_loan, scan, shelves, state, unit_of

YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def counted(archivist, filed_record):
    """Box 1: a found, a damaged found, a missing, one on loan at opening,
    one lent since and an extra item; box 2: one of its records found in
    box 1 (misplaced), one found in place."""
    _room, _cabinet, (box1, box2) = shelves(2)
    found, damaged, lost, lent, lent_since = filed_in(filed_record, box1, 5)
    strayed, home = filed_in(filed_record, box2, 2)
    unboxed = filed_record()
    on_loan(lent, archivist)
    stocktake = services.stocktake_open(year=YEAR, locations=[box1, box2], by=archivist)
    on_loan(lent_since, archivist)
    scan(stocktake, box1, found, archivist)
    scan(stocktake, box1, damaged, archivist, condition=Condition.DAMAGED, note="水渍")
    scan(stocktake, box1, strayed, archivist)
    scan(stocktake, box1, unboxed, archivist)
    scan(stocktake, box2, home, archivist)
    names = dict(found=found, damaged=damaged, lost=lost, lent=lent, lent_since=lent_since, strayed=strayed, home=home,
                 unboxed=unboxed)
    return stocktake, box1, box2, names


def test_r_inv_1_reconciliation_per_box_and_in_total(counted):
    stocktake, box1, box2, _names = counted
    per_unit, total = selectors.reconciliation(stocktake)
    one, two = per_unit[unit_of(stocktake, box1).pk], per_unit[unit_of(stocktake, box2).pk]
    assert (one.expected, one.found, one.on_loan, one.missing, one.misplaced, one.extra, one.damaged) == (4, 2, 1, 1, 1, 1, 1)
    assert (two.expected, two.found, two.on_loan, two.missing, two.misplaced, two.extra, two.damaged) == (2, 1, 0, 0, 0, 0, 0)
    assert (total.expected, total.found, total.missing, total.misplaced, total.extra, total.counted) == (6, 3, 1, 1, 1, 5)
    unit_only, unit_total = selectors.reconciliation(stocktake, unit=unit_of(stocktake, box1))
    assert list(unit_only) == [unit_of(stocktake, box1).pk] and unit_total == one
    assert selectors.unit_progress(unit_of(stocktake, box1)) == (4, 4)


def test_r_inv_1_every_difference_is_listed(counted):
    stocktake, _box1, _box2, names = counted
    found = {(item.kind, item.record_id) for item in selectors.differences(stocktake)}
    assert found == {
        (DifferenceKind.MISSING, names["lost"].pk),
        (DifferenceKind.MISPLACED, names["strayed"].pk),
        (DifferenceKind.EXTRA, names["unboxed"].pk),
        (DifferenceKind.DAMAGED, names["damaged"].pk),
    }


def test_r_inv_1_closing_is_refused_while_a_difference_is_unresolved(archivist, counted):
    stocktake, _box1, _box2, names = counted
    before = state()
    with pytest.raises(UnresolvedDifferences, match="4 unresolved differences") as refused:
        services.stocktake_close(stocktake=stocktake, by=archivist)
    assert names["lost"].archive_number in refused.value.message
    assert len(refused.value.differences) == 4
    assert state() == before


def test_r_inv_1_differences_resolved_then_the_stocktake_closes(archivist, counted):
    stocktake, box1, box2, names = counted
    resolve = services.difference_resolve
    resolve(stocktake=stocktake, record=names["lost"], kind=DifferenceKind.MISSING,
            resolution=Resolution.MARKED_MISSING, by=archivist)
    resolve(stocktake=stocktake, record=names["strayed"], kind=DifferenceKind.MISPLACED,
            resolution=Resolution.MOVED, location=box1, by=archivist, note="按实际位置更正")
    resolve(stocktake=stocktake, record=names["unboxed"], kind=DifferenceKind.EXTRA,
            resolution=Resolution.FILED_EXTRA, by=archivist)
    resolve(stocktake=stocktake, record=names["damaged"], kind=DifferenceKind.DAMAGED,
            resolution=Resolution.ACCEPTED, by=archivist, note="轻微水渍，无需修复")

    lost = fresh(names["lost"])
    assert lost.status == RecordStatus.MISSING
    assert stocktake.number in lost.history.latest().history_change_reason
    assert fresh(names["strayed"]).location == box1
    assert fresh(names["unboxed"]).location == box1
    assert selectors.unresolved_differences(stocktake) == []

    closed = services.stocktake_close(stocktake=stocktake, by=archivist)
    assert (closed.state, closed.closed_by) == (StocktakeState.CLOSED, archivist)
    assert not closed.units.filter(is_open=True).exists()
    assert closed.history.latest().history_change_reason == InventoryReason.STOCKTAKE_CLOSED
    # Frozen: nothing more is scanned or resolved, and the boxes may be counted again.
    before = state()
    with pytest.raises(InventoryRefused, match="is closed"):
        scan(stocktake, box1, names["found"], archivist)
    with pytest.raises(InventoryRefused, match="is closed"):
        services.stocktake_close(stocktake=stocktake, by=archivist)
    assert state() == before
    assert services.stocktake_open(year=YEAR, locations=[box1, box2], by=archivist).number.endswith("-0002")


def test_r_inv_1_moving_back_a_misplaced_item_leaves_its_box(archivist, counted):
    stocktake, _box1, box2, names = counted
    services.difference_resolve(stocktake=stocktake, record=names["strayed"], kind=DifferenceKind.MISPLACED,
                                resolution=Resolution.MOVED, location=box2, by=archivist)
    strayed = fresh(names["strayed"])
    assert strayed.location == box2 and strayed.history.count() == names["strayed"].history.count()


@pytest.mark.parametrize(
    "name, kind, resolution, extra, message",
    [
        ("lost", DifferenceKind.MISSING, Resolution.ACCEPTED, {}, "say why the difference is accepted"),
        ("lost", DifferenceKind.MISSING, Resolution.MOVED, {}, "does not fit"),
        ("strayed", DifferenceKind.MISPLACED, Resolution.MOVED, {}, "Choose the box"),
        ("found", DifferenceKind.MISSING, Resolution.MARKED_MISSING, {}, "finds no such difference"),
        ("home", DifferenceKind.EXTRA, Resolution.FILED_EXTRA, {}, "finds no such difference"),
    ],
)
def test_r_inv_1_a_wrong_resolution_is_refused_and_changes_nothing(archivist, counted, name, kind, resolution, extra, message):
    stocktake, _box1, _box2, names = counted
    before = state()
    with pytest.raises(InventoryRefused, match=message):
        services.difference_resolve(stocktake=stocktake, record=names[name], kind=kind, resolution=resolution,
                                    by=archivist, **extra)
    assert state() == before


def test_r_inv_1_a_difference_is_resolved_once(archivist, counted):
    stocktake, _box1, _box2, names = counted
    services.difference_resolve(stocktake=stocktake, record=names["lost"], kind=DifferenceKind.MISSING,
                                resolution=Resolution.MARKED_MISSING, by=archivist)
    before = state()
    with pytest.raises(InventoryRefused, match="already resolved"):
        services.difference_resolve(stocktake=stocktake, record=names["lost"], kind=DifferenceKind.MISSING,
                                    resolution=Resolution.ACCEPTED, note="再次", by=archivist)
    assert state() == before


def test_r_inv_1_a_record_returned_from_loan_and_scanned_is_found_not_a_conflict(archivist, counted):
    stocktake, box1, _box2, names = counted
    lent = record_check_in(record=names["lent"], reason="归还", by=archivist)
    assert scan(stocktake, box1, lent, archivist).outcome == "found"


def test_r_inv_1_changes_since_opening_are_shown(archivist, filed_record, counted):
    stocktake, box1, box2, names = counted
    filed_since = filed_in(filed_record, box2)[0]
    changed, added = selectors.changed_since_opening(stocktake)
    # Lent since the opening; the one lent before is as the snapshot says.
    assert [(row.record, row.unit.location, row.record.status) for row in changed] == [
        (names["lent_since"], box1, RecordStatus.ON_LOAN)
    ]
    assert list(added) == [filed_since]
    _changed, added_box1 = selectors.changed_since_opening(stocktake, unit=unit_of(stocktake, box1))
    assert list(added_box1) == []


def test_r_inv_3_a_missing_record_that_turns_up_is_filed_again(archivist, filed_record):
    _room, _cabinet, (box1, box2) = shelves(2)
    lost = filed_in(filed_record, box2)[0]
    missing(lost, archivist)
    stocktake = services.stocktake_open(year=YEAR, locations=[box1, box2], by=archivist)
    assert scan(stocktake, box1, lost, archivist).outcome == "misplaced"
    kinds = {item.kind for item in selectors.differences(stocktake)}
    assert kinds == {DifferenceKind.MISPLACED, DifferenceKind.TURNED_UP}

    services.difference_resolve(stocktake=stocktake, record=lost, kind=DifferenceKind.TURNED_UP,
                                resolution=Resolution.RESTORED, by=archivist, note="在1号盒找到")

    lost = fresh(lost)
    assert (lost.status, lost.location) == (RecordStatus.FILED, box1)
    assert stocktake.number in lost.history.latest().history_change_reason
    # Filed again where it was found: its box is already the one it is in.
    services.difference_resolve(stocktake=stocktake, record=lost, kind=DifferenceKind.MISPLACED,
                                resolution=Resolution.MOVED, location=box1, by=archivist)
    assert selectors.unresolved_differences(stocktake) == []
