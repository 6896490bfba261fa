"""Opening a stocktake (R-INV-1): the snapshot of what the ledger says
each box holds, the scope, one open stocktake per box, gapless numbers."""
import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from inventory import services
from inventory.exceptions import InventoryRefused
from inventory.models import Expected, ExpectedStatus, Stocktake, StocktakeState, StocktakeUnit
from inventory.reasons import InventoryReason
from records.models import LocationKind
from records.services import record_destroy
from tests.factories import LocationFactory, RecordFactory
from tests.inventory.support import filed_in, missing, on_loan, shelves, state

YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _snapshot(stocktake):
    return {
        (row.unit.location.code, row.record_id): row.status_at_opening
        for row in Expected.objects.filter(unit__stocktake=stocktake).select_related("unit__location")
    }


def test_r_inv_1_opening_takes_the_ledger_snapshot_of_each_box(archivist, filed_record):
    _room, _cabinet, (box1, box2) = shelves(2)
    shelf, lent, lost = filed_in(filed_record, box1, 3)
    other = filed_in(filed_record, box2)[0]
    on_loan(lent, archivist)
    missing(lost, archivist)
    RecordFactory(location=box1)  # submitted, not yet on the books
    destroyed = filed_in(filed_record, box2, year=2000, retention_years=10)[0]
    record_destroy(record=destroyed, reason="销毁", by=archivist)

    stocktake = services.stocktake_open(year=YEAR, locations=[], by=archivist)

    assert stocktake.state == StocktakeState.OPEN and stocktake.whole_archive
    assert stocktake.number == f"PD-{timezone.now().year}-0001"
    assert _snapshot(stocktake) == {
        ("B001", shelf.pk): ExpectedStatus.ON_SHELF,
        ("B001", lent.pk): ExpectedStatus.ON_LOAN,
        ("B001", lost.pk): ExpectedStatus.MISSING,
        ("B002", other.pk): ExpectedStatus.ON_SHELF,
    }
    assert set(stocktake.units.values_list("location__code", flat=True)) == {"B001", "B002"}
    history = stocktake.history.get()
    assert (history.history_user, history.history_change_reason) == (archivist, InventoryReason.STOCKTAKE_OPENED)
    assert StocktakeUnit.history.filter(history_user=archivist).count() == 2


def test_r_inv_1_a_scope_of_chosen_locations_counts_only_their_boxes(archivist, filed_record):
    _room, cabinet, (box1, box2) = shelves(2)
    _room2, _cabinet2, (elsewhere,) = shelves(1, room_code="R2")
    filed_in(filed_record, box1)
    filed_in(filed_record, elsewhere)

    stocktake = services.stocktake_open(year=YEAR, locations=[cabinet], by=archivist)

    assert not stocktake.whole_archive
    assert list(stocktake.scope.all()) == [cabinet]
    assert set(stocktake.units.values_list("location", flat=True)) == {box1.pk, box2.pk}
    assert Expected.objects.filter(unit__stocktake=stocktake).count() == 1


def test_r_inv_1_a_box_is_in_one_open_stocktake_at_a_time(archivist, filed_record):
    _room, cabinet, (box1, box2) = shelves(2)
    first = services.stocktake_open(year=YEAR, locations=[box1], by=archivist)
    before = state()

    with pytest.raises(InventoryRefused, match="R1-C1-B001 \\(PD-"):
        services.stocktake_open(year=YEAR, locations=[cabinet], by=archivist)

    assert state() == before
    # The database holds the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        StocktakeUnit.objects.create(stocktake=first, location=box1)
    StocktakeUnit.objects.filter(stocktake=first).update(is_open=False)
    Stocktake.objects.filter(pk=first.pk).update(state=StocktakeState.CLOSED)
    second = services.stocktake_open(year=YEAR, locations=[cabinet], by=archivist)
    assert second.number.endswith("-0002")


@pytest.mark.parametrize(
    "year, message",
    [("", "Year: enter a year"), (YEAR + 1, "this year"), ("二〇二四", "Year: enter a year"), (1800, "this year")],
)
def test_r_inv_1_opening_refuses_a_wrong_year_and_changes_nothing(archivist, year, message):
    shelves(1)
    before = state()
    with pytest.raises(InventoryRefused, match=message):
        services.stocktake_open(year=year, locations=[], by=archivist)
    assert state() == before


def test_r_inv_1_opening_refuses_a_scope_without_boxes(archivist):
    room = LocationFactory(code="R9")
    LocationFactory(kind=LocationKind.BOX, parent=room, code="B1", is_active=False)
    before = state()
    with pytest.raises(InventoryRefused, match="no box in use"):
        services.stocktake_open(year=YEAR, locations=[room], by=archivist)
    assert state() == before


@pytest.mark.parametrize("role", ["staff", "department_head", "leadership"])
def test_r_inv_1_only_the_archivist_opens_a_stocktake(db, request, role):
    shelves(1)
    before = state()
    with pytest.raises(InventoryRefused, match="Only the archivist"):
        services.stocktake_open(year=YEAR, locations=[], by=request.getfixturevalue(role))
    assert state() == before


def test_r_inv_1_a_refused_opening_gives_its_number_back(archivist):
    _room, _cabinet, (box,) = shelves(1)
    services.stocktake_open(year=YEAR, locations=[box], by=archivist)
    with pytest.raises(InventoryRefused):
        services.stocktake_open(year=YEAR, locations=[box], by=archivist)
    box2 = LocationFactory(kind=LocationKind.BOX, parent=box.parent, code="B777")
    assert services.stocktake_open(year=YEAR, locations=[box2], by=archivist).number.endswith("-0002")
