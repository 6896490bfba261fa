"""The stocktake screens (R-INV-1): the list by year, opening a stocktake
(with its confirmation of what the snapshot holds), a stocktake's boxes
and progress, and closing it (refused while differences are unresolved,
listed); who may open each (403 for the others, 405 for a wrong method);
refusals shown with the message and nothing changed; query counts that do
not grow with the rows."""
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from inventory import services
from inventory.models import Condition, DifferenceKind, Expected, Resolution, Stocktake, StocktakeState, StocktakeUnit
from records.models import LocationKind, SecurityLevel
from tests.disposal.views_support import EVERY_ROLE, shown_messages, signed_in, text_of
from tests.factories import LocationFactory
from tests.inventory.support import counter_without_confidential, filed_in, fresh, scan, shelves, state, unit_of
from tests.query_counts import queries_for

YEAR = timezone.localdate().year
READERS = {Role.ARCHIVIST, Role.DEPARTMENT_HEAD}
RUNNERS = {Role.ARCHIVIST}


@pytest.fixture
def boxes(archivist):
    _room, _cabinet, boxes = shelves(2)
    return boxes


def _open(archivist, boxes, year=YEAR):
    return services.stocktake_open(year=year, locations=boxes, by=archivist)


# --- who may open what ------------------------------------------------------------------------


@pytest.mark.parametrize("role", EVERY_ROLE)
@pytest.mark.parametrize("name", ["inventory_stocktakes", "inventory_stocktake_detail"])
def test_r_inv_1_stocktake_pages_are_for_the_archivist_and_the_head(client, role_users, archivist, boxes, role, name):
    stocktake = _open(archivist, boxes)
    args = [stocktake.pk] if name.endswith("detail") else []
    response = signed_in(client, role_users[role]).get(reverse(name, args=args))
    assert response.status_code == (200 if role in READERS else 403)
    if role in READERS:
        assert stocktake.number in text_of(response)


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_r_inv_1_only_the_archivist_opens_and_closes(client, role_users, archivist, boxes, role):
    box1, box2 = boxes
    stocktake = _open(archivist, [box1])
    before = state()
    signed_in(client, role_users[role])
    opened = client.post(
        reverse("inventory_stocktake_open"), {"year": YEAR, "scope": "chosen", "locations": [box2.pk], "confirmed": "1"}
    )
    closed = client.post(reverse("inventory_stocktake_close", args=[stocktake.pk]), {"confirm": "1"})
    if role in RUNNERS:
        assert fresh(stocktake).state == StocktakeState.CLOSED
        assert opened.status_code == 302
    else:
        assert (opened.status_code, closed.status_code) == (403, 403)
        assert state() == before


def test_r_inv_1_wrong_methods_are_refused(client, archivist, boxes):
    stocktake = _open(archivist, boxes)
    signed_in(client, archivist)
    assert client.post(reverse("inventory_stocktakes")).status_code == 405
    assert client.post(reverse("inventory_stocktake_detail", args=[stocktake.pk])).status_code == 405
    assert client.delete(reverse("inventory_stocktake_open")).status_code == 405


# --- the list by year -------------------------------------------------------------------------


def test_r_inv_1_the_list_shows_a_years_stocktakes_with_progress_and_past_years_stay_browsable(
    client, archivist, filed_record, boxes
):
    box1, box2 = boxes
    records = filed_in(filed_record, box1, 3)
    last_year = _open(archivist, [box1], year=YEAR - 1)
    scan(last_year, box1, records[0], archivist)
    services.unit_mark_counted(unit=unit_of(last_year, box1), by=archivist)
    this_year = _open(archivist, [box2])
    signed_in(client, archivist)

    page = text_of(client.get(reverse("inventory_stocktakes")))
    assert this_year.number in page and last_year.number not in page
    assert f'<option value="{YEAR - 1}"' in page

    past = text_of(client.get(reverse("inventory_stocktakes"), {"year": YEAR - 1}))
    row = past.split(f'data-stocktake="{last_year.number}"')[1].split("</tr>")[0]
    assert "1 / 3" in row  # records counted / expected
    assert "1 / 1" in row  # boxes marked counted / in it
    assert archivist.display_name in row
    assert box1.full_code in row
    assert this_year.number not in past


def test_the_list_offers_opening_only_to_the_archivist(client, archivist, department_head):
    assert reverse("inventory_stocktake_open") in text_of(signed_in(client, archivist).get(reverse("inventory_stocktakes")))
    assert reverse("inventory_stocktake_open") not in text_of(
        signed_in(client, department_head).get(reverse("inventory_stocktakes"))
    )


# --- opening ----------------------------------------------------------------------------------


def test_r_inv_1_opening_shows_the_snapshot_size_first_then_opens(client, archivist, filed_record, boxes):
    box1, box2 = boxes
    filed_in(filed_record, box1, 2)
    filed_in(filed_record, box2, 1)
    other_room, _cabinet, (elsewhere,) = shelves(1, room_code="R2")
    filed_in(filed_record, elsewhere, 4)
    cabinet = box1.parent
    signed_in(client, archivist)
    form = text_of(client.get(reverse("inventory_stocktake_open")))
    # The tree: a box indented under its cabinet, under its room.
    assert f'<option value="{box1.pk}">\u3000\u3000R1-C1-B001 1号盒</option>' in form
    assert f'<option value="{cabinet.pk}">\u3000R1-C1 一号柜</option>' in form
    assert f'value="{YEAR}"' in form

    body = {"year": YEAR, "scope": "chosen", "locations": [cabinet.pk]}
    confirm = client.post(reverse("inventory_stocktake_open"), body)
    assert Stocktake.objects.count() == 0
    assert "2 boxes holding 3 records" in text_of(confirm)
    assert "data-busy-text" in text_of(confirm)

    opened = client.post(reverse("inventory_stocktake_open"), {**body, "confirmed": "1"})
    stocktake = Stocktake.objects.get()
    assert opened.url == reverse("inventory_stocktake_detail", args=[stocktake.pk])
    assert set(stocktake.units.values_list("location_id", flat=True)) == {box1.pk, box2.pk}
    assert Expected.objects.filter(unit__stocktake=stocktake).count() == 3
    assert list(stocktake.scope.all()) == [cabinet]


def test_r_inv_1_the_whole_archive_counts_every_box(client, archivist, filed_record, boxes):
    shelves(1, room_code="R2")
    signed_in(client, archivist)
    confirm = client.post(reverse("inventory_stocktake_open"), {"year": YEAR, "scope": "whole"})
    assert "3 boxes holding 0 records" in text_of(confirm)
    client.post(reverse("inventory_stocktake_open"), {"year": YEAR, "scope": "whole", "confirmed": "1"})
    assert Stocktake.objects.get().whole_archive
    assert StocktakeUnit.objects.count() == 3


def test_r_inv_1_a_box_in_an_open_stocktake_is_refused_with_the_message_and_nothing_opened(
    client, archivist, boxes
):
    box1, _box2 = boxes
    first = _open(archivist, [box1])
    before = state()
    signed_in(client, archivist)
    response = client.post(
        reverse("inventory_stocktake_open"), {"year": YEAR, "scope": "chosen", "locations": [box1.pk], "confirmed": "1"}
    )
    assert response.status_code == 200
    assert "already being counted in an open stocktake" in text_of(response)
    assert first.number in text_of(response)
    assert state() == before


@pytest.mark.parametrize(
    "body, message",
    [
        ({"year": YEAR, "scope": "chosen"}, "Choose at least one room"),
        ({"year": YEAR + 1, "scope": "whole", "confirmed": "1"}, "a stocktake is of this year"),
    ],
)
def test_bad_opening_input_is_refused_on_the_form(client, archivist, boxes, body, message):
    before = state()
    response = signed_in(client, archivist).post(reverse("inventory_stocktake_open"), body)
    assert message in text_of(response)
    assert state() == before


def test_a_scope_without_boxes_is_refused_before_the_confirmation(client, archivist, boxes):
    empty_room = LocationFactory(code="R9", name="空室")
    response = signed_in(client, archivist).post(
        reverse("inventory_stocktake_open"), {"year": YEAR, "scope": "chosen", "locations": [empty_room.pk]}
    )
    assert "There is no box in use" in text_of(response)
    assert Stocktake.objects.count() == 0


# --- the detail page --------------------------------------------------------------------------


def test_r_inv_1_the_detail_shows_progress_per_box_and_the_links(client, archivist, filed_record, boxes):
    box1, box2 = boxes
    records = filed_in(filed_record, box1, 2)
    filed_in(filed_record, box2, 1)
    stocktake = _open(archivist, boxes)
    scan(stocktake, box1, records[0], archivist)
    services.unit_mark_counted(unit=unit_of(stocktake, box1), by=archivist)
    page = text_of(signed_in(client, archivist).get(reverse("inventory_stocktake_detail", args=[stocktake.pk])))
    row1 = page.split(f'data-box="{box1.full_code}"')[1].split("</tr>")[0]
    row2 = page.split(f'data-box="{box2.full_code}"')[1].split("</tr>")[0]
    assert '<td class="num">2</td>' in row1 and '<td class="num">1</td>' in row1
    assert archivist.display_name in row1 and "Not yet" in row2
    assert reverse("inventory_unit_count", args=[unit_of(stocktake, box1).pk]) in row1
    assert "1 / 3" in page and "1 / 2" in page
    assert f"/inventory/stocktakes/{stocktake.pk}/reconciliation/" in page
    assert f"/inventory/stocktakes/{stocktake.pk}/report/" in page
    assert reverse("inventory_stocktake_close", args=[stocktake.pk]) in page


def test_the_head_reads_the_detail_without_counting_or_closing_links(client, archivist, department_head, boxes):
    stocktake = _open(archivist, boxes)
    page = text_of(signed_in(client, department_head).get(reverse("inventory_stocktake_detail", args=[stocktake.pk])))
    assert reverse("inventory_stocktake_close", args=[stocktake.pk]) not in page
    assert "/inventory/units/" not in page


# --- closing ----------------------------------------------------------------------------------


def test_r_inv_1_closing_with_unresolved_differences_is_refused_and_lists_them(
    client, archivist, filed_record, boxes
):
    box1, box2 = boxes
    here, lost = filed_in(filed_record, box1, 2)
    stocktake = _open(archivist, boxes)
    scan(stocktake, box1, here, archivist)
    signed_in(client, archivist)
    page = text_of(client.get(reverse("inventory_stocktake_close", args=[stocktake.pk])))
    assert lost.archive_number in page and "Missing" in page
    before = state()

    response = client.post(reverse("inventory_stocktake_close", args=[stocktake.pk]), {"confirm": "1"})

    assert state() == before
    assert fresh(stocktake).state == StocktakeState.OPEN
    text = text_of(response)
    table = text.split('class="data-table unresolved-differences"')[1].split("</table>")[0]
    assert lost.archive_number in table and box1.full_code in table and "Missing" in table
    assert here.archive_number not in table
    assert f"/inventory/stocktakes/{stocktake.pk}/reconciliation/" in text
    assert any("unresolved differences" in message for message in shown_messages(client, response))


def test_r_inv_1_an_unresolved_difference_of_a_record_the_closer_may_not_see_is_listed_without_its_number(
    client, archivist, filed_record, boxes
):
    box1, _box2 = boxes
    secret = filed_in(filed_record, box1, security_level=SecurityLevel.CONFIDENTIAL, title="机密盘点标题")[0]
    counter = counter_without_confidential()
    stocktake = _open(archivist, [box1])
    response = signed_in(client, counter).post(reverse("inventory_stocktake_close", args=[stocktake.pk]), {"confirm": "1"})
    text = text_of(response)
    assert "a record you may not see" in text
    assert secret.archive_number not in text.split("<main")[1].split('class="data-table unresolved-differences"')[1]
    assert "机密盘点标题" not in text


def test_r_inv_1_closing_with_everything_resolved_freezes_the_stocktake(client, archivist, filed_record, boxes):
    box1, box2 = boxes
    record = filed_in(filed_record, box1)[0]
    stocktake = _open(archivist, boxes)
    scan(stocktake, box1, record, archivist, condition=Condition.DAMAGED)
    services.difference_resolve(
        stocktake=stocktake, record=record, kind=DifferenceKind.DAMAGED, resolution=Resolution.ACCEPTED,
        note="已知", by=archivist,
    )
    signed_in(client, archivist)
    confirm = text_of(client.get(reverse("inventory_stocktake_close", args=[stocktake.pk])))
    assert 'name="confirm"' in confirm
    totals = confirm.split('class="data-table totals"')[1].split("</table>")[0]
    assert "Damaged or decaying" in totals
    response = client.post(reverse("inventory_stocktake_close", args=[stocktake.pk]), {"confirm": "1"})
    assert response.url == reverse("inventory_stocktake_detail", args=[stocktake.pk])
    closed = fresh(stocktake)
    assert (closed.state, closed.closed_by) == (StocktakeState.CLOSED, archivist)
    assert not StocktakeUnit.objects.filter(stocktake=stocktake, is_open=True).exists()
    page = text_of(client.get(reverse("inventory_stocktake_detail", args=[stocktake.pk])))
    assert "This stocktake is closed" in page
    assert "/inventory/units/" not in page


def test_closing_without_the_confirmation_changes_nothing(client, archivist, boxes):
    stocktake = _open(archivist, boxes)
    before = state()
    signed_in(client, archivist).post(reverse("inventory_stocktake_close", args=[stocktake.pk]), {})
    assert state() == before


# --- query counts -----------------------------------------------------------------------------


def _stocktakes_with_boxes(archivist, filed_record, count, room_code):
    """`count` stocktakes of last year, one box each with a record, scanned."""
    room = LocationFactory(code=room_code, name="盘点室")
    for n in range(count):
        box = LocationFactory(kind=LocationKind.BOX, parent=room, code=f"Q{n:03d}", name=f"{n}号")
        record = filed_record(location=box)
        stocktake = services.stocktake_open(year=YEAR - 1, locations=[box], by=archivist)
        scan(stocktake, box, record, archivist)
        services.unit_mark_counted(unit=unit_of(stocktake, box), by=archivist)


def test_the_list_runs_the_same_queries_at_2_and_at_30_stocktakes(client, archivist, filed_record):
    signed_in(client, archivist)
    url = reverse("inventory_stocktakes") + f"?year={YEAR - 1}"
    _stocktakes_with_boxes(archivist, filed_record, 2, "QA")
    small = queries_for(client, url)
    _stocktakes_with_boxes(archivist, filed_record, 28, "QB")
    assert queries_for(client, url) == small


def test_the_detail_runs_the_same_queries_at_2_and_at_60_boxes(client, archivist, filed_record):
    room = LocationFactory(code="QD", name="盘点室")
    boxes = [LocationFactory(kind=LocationKind.BOX, parent=room, code=f"D{n:03d}") for n in range(60)]
    small_stocktake = _open(archivist, boxes[:2])
    for box in boxes[2:]:
        filed_record(location=box)
    services.stocktake_close(stocktake=small_stocktake, by=archivist)
    large_stocktake = _open(archivist, boxes)
    for n, unit in enumerate(StocktakeUnit.objects.filter(stocktake=large_stocktake)[:40]):
        if n % 2:
            services.unit_mark_counted(unit=unit, by=archivist)
    signed_in(client, archivist)
    small = queries_for(client, reverse("inventory_stocktake_detail", args=[small_stocktake.pk]))
    large = queries_for(client, reverse("inventory_stocktake_detail", args=[large_stocktake.pk]))
    assert large == small


def test_r_inv_1_snapshot_size_counts_what_opening_would_take(archivist, filed_record, boxes):
    box1, box2 = boxes
    filed_in(filed_record, box1, 2)
    lent = filed_in(filed_record, box2)[0]
    from tests.inventory.support import on_loan

    on_loan(lent, archivist)
    filed_record()  # no box: not in any box's snapshot
    assert services.snapshot_size(locations=[box1]) == (1, 2)
    assert services.snapshot_size(locations=[]) == (2, 3)
    before = state()
    services.snapshot_size(locations=[box1.parent])
    assert state() == before
