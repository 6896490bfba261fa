"""The reconciliation screen (账物相符, R-INV-1): totals per box and in
total, each difference with its resolution or its choices, what changed
since the opening, and every resolution posted through the view;
refusals leave nothing changed."""
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from inventory import services
from inventory.models import Condition, Difference, DifferenceKind, Resolution
from records.models import Record, RecordStatus, SecurityLevel
from tests.disposal.views_support import shown_messages, signed_in, text_of
from tests.factories import category
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
from tests.query_counts import queries_for

YEAR = timezone.localdate().year


@pytest.fixture
def counted(archivist, filed_record):
    """Box 1: one found, one damaged, one missing, one lent since the
    opening, one extra (filed nowhere); box 2: one of its records found in
    box 1 (misplaced)."""
    _room, _cabinet, (box1, box2) = shelves(2)
    found, damaged, lost, lent_since = filed_in(filed_record, box1, 4)
    strayed, home = filed_in(filed_record, box2, 2)
    unboxed = filed_record(title="无盒档案")
    stocktake = services.stocktake_open(year=YEAR, locations=[box1, box2], by=archivist)
    on_loan(lent_since, archivist)
    scan(stocktake, box1, found, archivist)
    scan(stocktake, box1, damaged, archivist, condition=Condition.DAMAGED, note="水渍")
    scan(stocktake, box1, strayed, archivist)
    scan(stocktake, box1, unboxed, archivist)
    scan(stocktake, box2, home, archivist)
    names = dict(found=found, damaged=damaged, lost=lost, lent_since=lent_since, strayed=strayed, unboxed=unboxed)
    return stocktake, box1, box2, names


def _url(stocktake, **query):
    url = reverse("inventory_reconciliation", args=[stocktake.pk])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def _row(html, archive_number):
    """The table row of a record in the differences table."""
    start = html.index(f'data-record="{archive_number}"')
    return html[start:html.index("</tr>", start)]


def _total(html, name):
    start = html.index(f'data-total="{name}"')
    return html[start:html.index("</div>", start)].split("<strong>")[1].split("</strong>")[0]


def test_r_inv_1_the_reconciliation_shows_totals_differences_and_changes(client, archivist, counted):
    stocktake, box1, box2, names = counted
    html = text_of(signed_in(client, archivist).get(_url(stocktake)))
    assert [_total(html, name) for name in ("expected", "found", "missing", "misplaced", "extra", "damaged")] == [
        "6", "3", "1", "1", "1", "1"]
    assert box1.full_code in html and box2.full_code in html
    assert "Missing" in _row(html, names["lost"].archive_number)
    assert names["lost"].title in _row(html, names["lost"].archive_number)
    misplaced = _row(html, names["strayed"].archive_number)
    assert "Misplaced" in misplaced and box2.full_code in misplaced and box1.full_code in misplaced
    assert "Not on the books" in _row(html, names["unboxed"].archive_number)
    assert "Damaged or decaying" in _row(html, names["damaged"].archive_number)
    # Choices for the kind: a missing item may be written off, a damaged one repaired.
    assert f"?record={names['lost'].pk}&amp;stocktake={stocktake.pk}" in _row(html, names["lost"].archive_number)
    assert f"/inventory/repairs/new/?record={names['damaged'].pk}" in _row(html, names["damaged"].archive_number)
    assert 'value="marked_missing"' in _row(html, names["lost"].archive_number)
    assert 'value="moved"' not in _row(html, names["lost"].archive_number)
    # Only a move chooses a box: where it was found, or back where it belongs.
    assert 'name="location"' not in _row(html, names["lost"].archive_number)
    assert misplaced.count('name="location"') == 2
    # Changes since the opening: lent since the snapshot.
    changes = html[html.index("reconcile-changed"):]
    assert names["lent_since"].archive_number in changes and "On loan" in changes


def test_r_inv_1_one_box_with_unit(client, archivist, counted):
    stocktake, box1, box2, names = counted
    html = text_of(signed_in(client, archivist).get(_url(stocktake, unit=unit_of(stocktake, box2).pk)))
    assert _total(html, "expected") == "2" and _total(html, "missing") == "0"
    assert names["lost"].archive_number not in html
    assert client.get(_url(stocktake, unit=999999)).status_code == 404


def test_the_head_reads_the_reconciliation_but_resolves_nothing(client, department_head, counted):
    stocktake, _box1, _box2, names = counted
    html = text_of(signed_in(client, department_head).get(_url(stocktake)))
    assert names["lost"].archive_number in html
    assert reverse("inventory_difference_resolve", args=[stocktake.pk]) not in html


@pytest.mark.parametrize("role", ["staff", "leadership", "sysadmin"])
def test_who_does_not_read_stocktakes_is_refused(client, request, counted, role):
    stocktake = counted[0]
    assert signed_in(client, request.getfixturevalue(role)).get(_url(stocktake)).status_code == 403


def test_a_title_is_shown_only_to_those_who_may_see_the_record(client, archivist, filed_record):
    _room, _cabinet, (box,) = shelves(1)
    secret = filed_record(location=box, security_level=SecurityLevel.CONFIDENTIAL, title="绝密协议标题")
    stocktake = services.stocktake_open(year=YEAR, locations=[box], by=archivist)
    reader = counter_without_confidential()
    reader.user_permissions.add(Permission.objects.get(codename="view_stocktake"))
    html = text_of(signed_in(client, fresh(reader)).get(_url(stocktake)))
    assert secret.archive_number in html and "绝密协议标题" not in html
    assert "绝密协议标题" in text_of(signed_in(client, archivist).get(_url(stocktake)))


def _resolve(client, stocktake, record, kind, resolution, **extra):
    return client.post(reverse("inventory_difference_resolve", args=[stocktake.pk]), {
        "record": record.pk, "kind": kind, "resolution": resolution, "next": _url(stocktake), **extra,
    })


def test_r_inv_1_a_misplaced_item_is_moved_to_the_box_it_was_found_in(client, archivist, counted):
    stocktake, box1, _box2, names = counted
    response = _resolve(signed_in(client, archivist), stocktake, names["strayed"], DifferenceKind.MISPLACED,
                        Resolution.MOVED, location=box1.pk)
    assert response.status_code == 302 and response.url == _url(stocktake)
    assert fresh(names["strayed"]).location == box1
    assert Difference.objects.get(record=names["strayed"]).resolution == Resolution.MOVED
    assert any("Moved" in message for message in shown_messages(client, response))


def test_r_inv_1_a_misplaced_item_moved_back_stays_in_its_box(client, archivist, counted):
    stocktake, _box1, box2, names = counted
    _resolve(signed_in(client, archivist), stocktake, names["strayed"], DifferenceKind.MISPLACED,
             Resolution.MOVED, location=box2.pk)
    assert fresh(names["strayed"]).location == box2
    assert Difference.objects.get(record=names["strayed"]).resolution == Resolution.MOVED


def test_r_inv_1_a_missing_item_is_marked_missing_with_the_stocktake_as_reason(client, archivist, counted):
    stocktake, _box1, _box2, names = counted
    _resolve(signed_in(client, archivist), stocktake, names["lost"], DifferenceKind.MISSING, Resolution.MARKED_MISSING)
    record = fresh(names["lost"])
    assert record.status == RecordStatus.MISSING
    assert stocktake.number in record.history.latest().history_change_reason
    html = text_of(client.get(_url(stocktake)))
    assert "Marked missing" in _row(html, record.archive_number)
    assert archivist.display_name in _row(html, record.archive_number)


def test_r_inv_1_an_extra_item_is_filed_into_the_box(client, archivist, counted):
    stocktake, box1, _box2, names = counted
    _resolve(signed_in(client, archivist), stocktake, names["unboxed"], DifferenceKind.EXTRA, Resolution.FILED_EXTRA)
    assert fresh(names["unboxed"]).location == box1


def test_r_inv_1_a_difference_accepted_with_a_note(client, archivist, counted):
    stocktake, _box1, _box2, names = counted
    _resolve(signed_in(client, archivist), stocktake, names["damaged"], DifferenceKind.DAMAGED, Resolution.ACCEPTED,
             note="已知破损")
    difference = Difference.objects.get(record=names["damaged"])
    assert (difference.resolution, difference.note, difference.resolved_by) == (Resolution.ACCEPTED, "已知破损", archivist)
    assert "已知破损" in _row(text_of(client.get(_url(stocktake))), names["damaged"].archive_number)


@pytest.mark.parametrize("kind, resolution, extra, message", [
    (DifferenceKind.DAMAGED, Resolution.ACCEPTED, {}, "say why the difference is accepted"),
    (DifferenceKind.MISSING, Resolution.MOVED, {}, "does not fit this difference"),
    (DifferenceKind.MISPLACED, Resolution.MOVED, {}, "Choose the box"),
])
def test_r_inv_1_a_refused_resolution_shows_why_and_changes_nothing(
    client, archivist, counted, kind, resolution, extra, message
):
    stocktake, _box1, _box2, names = counted
    record = {DifferenceKind.DAMAGED: names["damaged"], DifferenceKind.MISSING: names["lost"],
              DifferenceKind.MISPLACED: names["strayed"]}[kind]
    before = state()
    response = _resolve(signed_in(client, archivist), stocktake, record, kind, resolution, **extra)
    assert any(message in text for text in shown_messages(client, response))
    assert state() == before


def test_r_inv_1_a_record_lent_since_cannot_be_marked_missing(client, archivist, counted):
    """records refuses (the record is on loan now): the message, nothing changed."""
    stocktake, _box1, _box2, names = counted
    on_loan(names["lost"], archivist)
    before = state()
    response = _resolve(signed_in(client, archivist), stocktake, names["lost"], DifferenceKind.MISSING,
                        Resolution.MARKED_MISSING)
    assert state() == before
    assert shown_messages(client, response)


@pytest.mark.parametrize("role", ["department_head", "staff"])
def test_a_role_that_does_not_reconcile_is_refused_and_nothing_changes(client, request, counted, role):
    stocktake, _box1, _box2, names = counted
    before = state()
    response = _resolve(signed_in(client, request.getfixturevalue(role)), stocktake, names["lost"],
                        DifferenceKind.MISSING, Resolution.MARKED_MISSING)
    assert response.status_code == 403
    assert state() == before


def test_resolve_takes_only_post(client, archivist, counted):
    stocktake = counted[0]
    assert signed_in(client, archivist).get(reverse("inventory_difference_resolve", args=[stocktake.pk])).status_code == 405


def _fill(box, count, start):
    Record.objects.bulk_create([
        Record(archive_number=f"RV-{start + n:05d}", item_number=start + n + 1, title="对账查询", category=category(),
               year=2024, status=RecordStatus.FILED, location=box)
        for n in range(count)
    ])


@pytest.mark.parametrize("size", [10, 400])
def test_r_inv_1_the_reconciliation_runs_the_same_queries_at_any_size(client, archivist, size):
    _room, _cabinet, (box1, box2) = shelves(2)
    _fill(box1, size, 0)
    _fill(box2, size, size)
    stocktake = services.stocktake_open(year=YEAR, locations=[], by=archivist)
    scan(stocktake, box1, "RV-00000", archivist)
    scan(stocktake, box1, f"RV-{size:05d}", archivist)  # misplaced
    services.difference_resolve(stocktake=stocktake, record=Record.objects.get(archive_number="RV-00001"),
                                kind=DifferenceKind.MISSING, resolution=Resolution.ACCEPTED, note="查过", by=archivist)
    Record.objects.filter(archive_number__in=["RV-00002", "RV-00003"]).update(status=RecordStatus.ON_LOAN)
    signed_in(client, archivist)
    queries_for(client, _url(stocktake))  # permissions and session read once
    counted = queries_for(client, _url(stocktake))
    assert counted == EXPECTED_QUERIES, size


# Session, user, permissions, the stocktake, the totals, the differences, the boxes,
# the changes, their records, the access log.
EXPECTED_QUERIES = 35
