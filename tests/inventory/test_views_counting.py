"""The counting page of one box (R-INV-1, R-INV-2): every scan outcome
answered through the view, as a page (no JavaScript: redirect back with
the answer) and as JSON (static/js/stocktake_count.js); unknown and
malformed codes; a confidential record the scanner may not see answered
exactly as an unknown code, nothing of it revealed; scanning in a closed
stocktake refused; two people counting one box both keep their scans;
marking the box counted; who may (403 and nothing changed); query counts
that do not grow with the scans."""
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from inventory import services
from inventory.models import Condition, Scan, ScanOutcome
from records.models import SecurityLevel
from records.services import record_destroy
from tests.disposal.views_support import EVERY_ROLE, shown_messages, signed_in, text_of
from tests.inventory.support import counter_without_confidential, filed_in, fresh, on_loan, scan, shelves, state, unit_of
from tests.query_counts import queries_for

YEAR = timezone.localdate().year
JSON = {"HTTP_ACCEPT": "application/json", "HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture
def boxes(archivist):
    _room, _cabinet, boxes = shelves(2)
    return boxes


@pytest.fixture
def world(archivist, filed_record, boxes):
    """An open stocktake of two boxes; box 1 holds `here`, `lent` (lent
    after opening), `destroyed`; box 2 holds `in_box2`; `unboxed` has no
    box; `secret` is confidential, in box 1."""
    box1, box2 = boxes
    here, lent = filed_in(filed_record, box1, 2)
    destroyed = filed_record(year=2000, retention_years=10, location=box1)
    in_box2 = filed_in(filed_record, box2)[0]
    unboxed = filed_record()
    secret = filed_in(filed_record, box1, security_level=SecurityLevel.CONFIDENTIAL, title="机密盒内标题")[0]
    stocktake = services.stocktake_open(year=YEAR, locations=boxes, by=archivist)
    on_loan(lent, archivist)
    record_destroy(record=destroyed, reason="销毁", by=archivist)
    return {
        "stocktake": stocktake, "unit": unit_of(stocktake, box1), "box1": box1, "box2": box2, "here": here,
        "lent": lent, "destroyed": destroyed, "in_box2": in_box2, "unboxed": unboxed, "secret": secret,
    }


def count_url(unit):
    return reverse("inventory_unit_count", args=[unit.pk])


def scan_url(unit):
    return reverse("inventory_unit_scan", args=[unit.pk])


def post_scan(client, unit, code, *, as_json=False, **fields):
    body = {"code": code, "condition": Condition.OK, "note": "", **fields}
    return client.post(scan_url(unit), body, **(JSON if as_json else {}))


def answer(client, response, as_json):
    """(outcome, message) the scanner is told."""
    if as_json:
        data = json.loads(response.content)
        return data["outcome"], data["message"]
    assert response.status_code == 302
    assert response.url == reverse("inventory_unit_count", kwargs=response.wsgi_request.resolver_match.kwargs)
    # The counting page shows the answer (and consumes the message).
    (message,) = [str(message) for message in client.get(response.url).context["messages"]]
    return None, message


# --- each outcome, as a page and as JSON ------------------------------------------------------


@pytest.mark.parametrize("as_json", [False, True], ids=["html", "json"])
def test_r_inv_1_each_scan_answers_at_once_through_the_view(client, archivist, world, as_json):
    signed_in(client, archivist)
    unit = world["unit"]
    cases = [
        (world["here"].archive_number, ScanOutcome.FOUND, "found here"),
        (world["here"].archive_number, ScanOutcome.ALREADY_COUNTED, "already counted"),
        (world["in_box2"].archive_number, ScanOutcome.MISPLACED, f"belongs in box {world['box2'].full_code}"),
        (world["unboxed"].archive_number, ScanOutcome.EXTRA, "not on the books"),
        (world["lent"].archive_number, ScanOutcome.ON_LOAN, "on loan per the register"),
        (world["destroyed"].archive_number, ScanOutcome.STRUCK_OFF, "struck off the books"),
        ("HT-NO-SUCH-0001", ScanOutcome.UNKNOWN, "unknown archive number"),
        ("<script>!!!", ScanOutcome.UNKNOWN, "unknown archive number"),
        ("X" * 90, ScanOutcome.UNKNOWN, "unknown archive number"),
    ]
    for code, outcome, words in cases:
        response = post_scan(client, unit, code, as_json=as_json)
        shown, message = answer(client, response, as_json)
        assert words in message, (code, message)
        if as_json:
            assert shown == outcome
        assert Scan.objects.filter(unit=unit).latest("pk").outcome == outcome
    assert Scan.objects.filter(unit=unit).count() == len(cases)


def test_r_inv_1_the_json_answer_carries_the_progress_and_the_scan(client, archivist, world):
    signed_in(client, archivist)
    response = post_scan(client, world["unit"], world["here"].archive_number + "\r", as_json=True)
    data = json.loads(response.content)
    # Box 1 expects here, lent and the secret on the shelf at opening (destroyed too).
    assert data["progress"]["unit"] == {"counted": 1, "expected": 4}
    assert data["progress"]["overall"] == {"counted": 1, "expected": 5}
    assert data["scan"]["code"] == world["here"].archive_number
    assert data["scan"]["by"] == archivist.display_name
    assert data["scan"]["outcome"] == "Found here"


def test_r_inv_1_without_javascript_the_page_comes_back_with_the_answer_and_the_focus(client, archivist, world):
    signed_in(client, archivist)
    response = post_scan(client, world["unit"], world["here"].archive_number)
    page = client.get(response.url)
    text = text_of(page)
    assert "found here" in text
    assert "autofocus" in text.split('name="code"')[0].rsplit("<input", 1)[1] + text.split('name="code"')[1].split(">")[0]
    assert world["here"].archive_number in text.split('data-scan-list')[1]
    assert "1</span> / <span data-progress-unit-expected>4" in text


def test_r_inv_2_a_damaged_item_is_noted_with_its_note(client, archivist, world):
    signed_in(client, archivist)
    post_scan(client, world["unit"], world["here"].archive_number, condition=Condition.DECAYING, note="霉斑")
    scanned = Scan.objects.get()
    assert (scanned.condition, scanned.note) == (Condition.DECAYING, "霉斑")
    assert "Decaying" in text_of(client.get(count_url(world["unit"])))


# --- bad input and faults ---------------------------------------------------------------------


@pytest.mark.parametrize("as_json", [False, True], ids=["html", "json"])
def test_r_inv_1_a_confidential_record_the_scanner_may_not_see_is_answered_as_unknown(
    client, archivist, world, as_json
):
    counter = counter_without_confidential()
    signed_in(client, counter)
    unit = world["unit"]
    secret_response = post_scan(client, unit, world["secret"].archive_number, as_json=as_json)
    secret_answer = answer(client, secret_response, as_json)
    unknown_answer = answer(client, post_scan(client, unit, "HT-NO-SUCH-0001", as_json=as_json), as_json)
    # The same answer, word for word but the code.
    assert secret_answer[0] == unknown_answer[0]
    assert secret_answer[1].replace(world["secret"].archive_number, "CODE") == unknown_answer[1].replace(
        "HT-NO-SUCH-0001", "CODE"
    )
    if as_json:
        data = json.loads(secret_response.content)
        assert data["outcome"] == "unknown"
        assert "机密盒内标题" not in secret_response.content.decode()
    page = text_of(client.get(count_url(unit)))
    assert "机密盒内标题" not in page
    # Logged as what it was, for the archivist who may see it.
    assert Scan.objects.filter(record=world["secret"]).get().outcome == ScanOutcome.NOT_VISIBLE


def test_r_inv_1_others_scans_of_records_the_viewer_may_not_see_show_no_code(client, archivist, world):
    scan(world["stocktake"], world["box1"], world["secret"], archivist)
    scan(world["stocktake"], world["box1"], "HT-NO-SUCH-0001", archivist)
    scan(world["stocktake"], world["box1"], world["here"], archivist)
    counter = counter_without_confidential()
    page = text_of(signed_in(client, counter).get(count_url(world["unit"])))
    scans = page.split("data-scan-list")[1].split("</ol>")[0]
    assert world["secret"].archive_number not in page
    assert "HT-NO-SUCH-0001" not in scans  # hidden alike, so hiding reveals nothing
    assert world["here"].archive_number in scans
    assert scans.count("Unknown code") == 2


@pytest.mark.parametrize("as_json", [False, True], ids=["html", "json"])
def test_r_inv_1_an_empty_code_is_refused_and_nothing_saved(client, archivist, world, as_json):
    signed_in(client, archivist)
    before = state()
    response = post_scan(client, world["unit"], " \r\n", as_json=as_json)
    assert response.status_code == 400
    assert "Type or scan an archive number" in response.content.decode()
    assert state() == before


@pytest.mark.parametrize("as_json", [False, True], ids=["html", "json"])
def test_r_inv_1_scanning_in_a_closed_stocktake_is_refused_and_the_page_says_it_is_closed(
    client, archivist, filed_record, boxes, as_json
):
    box1, _box2 = boxes
    record = filed_in(filed_record, box1)[0]
    stocktake = services.stocktake_open(year=YEAR, locations=[box1], by=archivist)
    scan(stocktake, box1, record, archivist)
    services.stocktake_close(stocktake=stocktake, by=archivist)
    unit = unit_of(stocktake, box1)
    signed_in(client, archivist)
    before = state()
    response = post_scan(client, unit, record.archive_number, as_json=as_json)
    assert state() == before
    if as_json:
        assert response.status_code == 400
        assert "is closed" in json.loads(response.content)["message"]
    else:
        assert any("is closed" in message for message in shown_messages(client, response))
    page = text_of(client.get(count_url(unit)))
    assert "is closed: nothing in it changes any more" in page
    assert 'name="code"' not in page
    assert client.post(reverse("inventory_unit_mark_counted", args=[unit.pk]), {"confirm": "1"}).status_code == 302
    assert fresh(unit).counted_at is None


def test_r_inv_1_two_people_scanning_one_box_through_the_view_both_keep_their_scans(
    archivist, world
):
    from django.test import Client

    colleague = counter_without_confidential("second_counter")
    first, second = signed_in(Client(), archivist), signed_in(Client(), colleague)
    unit = world["unit"]
    post_scan(first, unit, world["here"].archive_number, as_json=True)
    post_scan(second, unit, world["lent"].archive_number, as_json=True)
    post_scan(second, unit, world["here"].archive_number, as_json=True)
    post_scan(first, unit, world["in_box2"].archive_number, as_json=True)
    rows = list(Scan.objects.filter(unit=unit).order_by("pk").values_list("record", "by", "outcome"))
    assert rows == [
        (world["here"].pk, archivist.pk, ScanOutcome.FOUND),
        (world["lent"].pk, colleague.pk, ScanOutcome.ON_LOAN),
        (world["here"].pk, colleague.pk, ScanOutcome.ALREADY_COUNTED),
        (world["in_box2"].pk, archivist.pk, ScanOutcome.MISPLACED),
    ]
    page = text_of(first.get(count_url(unit)))
    assert colleague.display_name in page and archivist.display_name in page


# --- marking the box counted ------------------------------------------------------------------


def test_r_inv_1_marking_a_box_counted_asks_first_then_marks_it(client, archivist, world):
    unit = world["unit"]
    signed_in(client, archivist)
    confirm = text_of(client.get(reverse("inventory_unit_mark_counted", args=[unit.pk])))
    assert "0 of 4 expected records counted" in confirm
    assert "reported missing" in confirm
    assert fresh(unit).counted_at is None
    response = client.post(reverse("inventory_unit_mark_counted", args=[unit.pk]), {"confirm": "1"})
    assert response.url == reverse("inventory_stocktake_detail", args=[world["stocktake"].pk])
    assert fresh(unit).counted_by == archivist
    again = client.post(reverse("inventory_unit_mark_counted", args=[unit.pk]), {"confirm": "1"})
    assert any("already marked counted" in message for message in shown_messages(client, again))


def test_marking_without_the_confirmation_changes_nothing(client, archivist, world):
    before = state()
    signed_in(client, archivist).post(reverse("inventory_unit_mark_counted", args=[world["unit"].pk]), {})
    assert state() == before


# --- who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [role for role in EVERY_ROLE if role != Role.ARCHIVIST])
def test_r_inv_1_only_the_archivist_counts(client, role_users, world, role):
    unit = world["unit"]
    signed_in(client, role_users[role])
    before = state()
    assert client.get(count_url(unit)).status_code == 403
    assert post_scan(client, unit, world["here"].archive_number).status_code == 403
    assert post_scan(client, unit, world["here"].archive_number, as_json=True).status_code == 403
    assert client.post(reverse("inventory_unit_mark_counted", args=[unit.pk]), {"confirm": "1"}).status_code == 403
    assert state() == before


def test_wrong_methods_are_refused(client, archivist, world):
    signed_in(client, archivist)
    assert client.get(scan_url(world["unit"])).status_code == 405
    assert client.post(count_url(world["unit"])).status_code == 405


def test_the_counting_page_is_made_for_a_phone_and_a_scanner(client, archivist, world):
    page = text_of(signed_in(client, archivist).get(count_url(world["unit"])))
    code_input = page.split('name="code"')[0].rsplit("<input", 1)[1] + page.split('name="code"')[1].split(">")[0]
    assert "autofocus" in code_input and 'autocomplete="off"' in code_input
    assert "css/stocktake_count.css" in page and "js/stocktake_count.js" in page
    assert 'aria-live="polite"' in page and "<script>" not in page and 'style="' not in page


# --- query counts -----------------------------------------------------------------------------


def test_the_counting_page_runs_the_same_queries_at_2_and_at_40_scans(client, archivist, filed_record, boxes):
    box1, _box2 = boxes
    records = filed_in(filed_record, box1, 40)
    stocktake = services.stocktake_open(year=YEAR, locations=boxes, by=archivist)
    unit = unit_of(stocktake, box1)
    colleague = counter_without_confidential("second_counter")
    scan(stocktake, box1, records[0], archivist)
    scan(stocktake, box1, records[1], colleague)
    signed_in(client, archivist)
    small = queries_for(client, count_url(unit))
    for record in records[2:]:
        scan(stocktake, box1, record, colleague)
    assert queries_for(client, count_url(unit)) == small
