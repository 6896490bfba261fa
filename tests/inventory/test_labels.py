"""Label sheets (issue 13 point 1, R-INV-1): box labels from the location
tree, record labels from the record list's filter. The PDFs are read back
with pypdf: codes in clear text and Chinese titles are in their text."""
import io
import re

import pytest
import segno
from django.urls import reverse
from pypdf import PdfReader

from accounts.roles import Role
from inventory import labels as label_sheets
from inventory import views_labels
from records.models import AccessAction, AccessLog, LocationKind, SecurityLevel
from records.services import record_file
from tests.conftest import speak_english
from tests.factories import LocationFactory, RecordFactory
from tests.query_counts import queries_for

pytestmark = pytest.mark.django_db

URLS = ["inventory_labels", "inventory_box_labels", "inventory_record_labels"]


def pdf_text(response):
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), text, re.sub(r"\s+", "", text)


@pytest.fixture
def shelves():
    """Room R7 > cabinet C01 > shelf S1 with boxes B001, B002 (and a box
    no longer in use), shelf S2 with box B003; room R8 with box B009."""
    room = LocationFactory(code="R7", name="一号档案室")
    cabinet = LocationFactory(parent=room, kind=LocationKind.CABINET, code="C01", name="合同柜")
    shelf = LocationFactory(parent=cabinet, kind=LocationKind.SHELF, code="S1", name="第一层")
    other_shelf = LocationFactory(parent=cabinet, kind=LocationKind.SHELF, code="S2", name="第二层")
    boxes = {
        "B001": LocationFactory(parent=shelf, kind=LocationKind.BOX, code="B001", name="代理合同盒"),
        "B002": LocationFactory(parent=shelf, kind=LocationKind.BOX, code="B002", name="媒体合同盒"),
        "B005": LocationFactory(parent=shelf, kind=LocationKind.BOX, code="B005", name="停用盒", is_active=False),
        "B003": LocationFactory(parent=other_shelf, kind=LocationKind.BOX, code="B003"),
    }
    other_room = LocationFactory(code="R8", name="二号档案室")
    boxes["B009"] = LocationFactory(parent=other_room, kind=LocationKind.BOX, code="B009", name="别处的盒")
    return {"room": room, "cabinet": cabinet, "shelf": shelf, "empty room": LocationFactory(code="R9"), **boxes}


def test_box_labels_of_a_cabinet_name_its_boxes_and_what_they_hold_r_inv_1(client, archivist, filed_record, shelves):
    filed_record(title="代理商协议甲", year=2023, location=shelves["B001"])
    filed_record(title="代理商协议乙", year=2024, location=shelves["B001"])
    client.force_login(archivist)
    response = client.get(reverse("inventory_box_labels"), {"location": shelves["cabinet"].pk})
    assert response.status_code == 200
    assert "inline" in response["Content-Disposition"]
    pages, text, flat = pdf_text(response)
    assert pages == 1
    for code in ("R7-C01-S1-B001", "R7-C01-S1-B002", "R7-C01-S2-B003"):
        assert code in text
    assert "R7-C01-S1-B005" not in text  # no longer in use
    assert "R8-B009" not in text  # another room
    assert "代理合同盒" in flat and "媒体合同盒" in flat
    assert "HTDL2023–2024(2)" in flat


def test_a_box_can_be_printed_alone(client, archivist, shelves):
    client.force_login(archivist)
    response = client.get(reverse("inventory_box_labels"), {"location": shelves["B002"].pk})
    _pages, text, _flat = pdf_text(response)
    assert "R7-C01-S1-B002" in text and "R7-C01-S1-B001" not in text


def test_a_location_without_boxes_is_refused_on_the_form(client, archivist, shelves):
    client.force_login(archivist)
    speak_english(client)
    response = client.get(reverse("inventory_box_labels"), {"location": shelves["empty room"].pk})
    assert response.status_code == 400
    assert "No box in use is at or below this location." in response.content.decode()


def test_too_many_boxes_are_refused_on_the_form(client, archivist, shelves, monkeypatch):
    monkeypatch.setattr(views_labels, "MAX_LABELS", 2)
    client.force_login(archivist)
    speak_english(client)
    response = client.get(reverse("inventory_box_labels"), {"location": shelves["cabinet"].pk})
    assert response.status_code == 400
    assert "3 boxes are at or below this location; print at most 2 at a time" in response.content.decode()


def test_the_location_tree_counts_the_boxes_and_links_their_labels(client, archivist, shelves):
    client.force_login(archivist)
    page = client.get(reverse("inventory_labels")).content.decode()
    rows = {code: row for code, row in re.findall(r"<tr>\s*<td>([A-Z0-9-]+)</td>(.*?)</tr>", page, re.S)}
    assert set(rows) == {"R7", "R7-C01", "R7-C01-S1", "R7-C01-S2", "R8", "R9"}
    assert "<td>3</td>" in rows["R7-C01"] and "<td>2</td>" in rows["R7-C01-S1"]
    assert f"?location={shelves['cabinet'].pk}" in rows["R7-C01"]
    assert "?location=" not in rows["R9"]  # no box, no link


def test_record_labels_follow_the_record_list_filter(client, archivist, filed_record, shelves):
    printed = [
        filed_record(title="户外宣传制作合同", year=2024, location=shelves["B001"]),
        filed_record(title="机密代理商协议", year=2024, security_level=SecurityLevel.CONFIDENTIAL),
    ]
    other_year = filed_record(title="往年的合同", year=2022)
    client.force_login(archivist)
    response = client.get(reverse("inventory_record_labels"), {"year": 2024})
    _pages, text, flat = pdf_text(response)
    for record in printed:
        assert record.archive_number in text
    assert "户外宣传制作合同" in flat and "机密代理商协议" in flat
    assert other_year.archive_number not in text and "往年的合同" not in flat
    assert "HTDL" in text and "2024" in text
    # The confidential record printed leaves a line (R-ACCESS), the other none.
    logged = AccessLog.objects.filter(user=archivist, action=AccessAction.PRINTED)
    assert list(logged.values_list("record_id", flat=True)) == [printed[1].pk]


def test_record_labels_by_search_text_shorten_long_titles(client, archivist, filed_record):
    record = filed_record(title="关于二零二四年度户外广告牌宣传制作与安装维护的框架合同及其全部补充协议")
    filed_record(title="无关的记录")
    client.force_login(archivist)
    _pages, text, flat = pdf_text(client.get(reverse("inventory_record_labels"), {"q": "户外广告牌"}))
    assert record.archive_number in text
    assert "关于二零二四年度户外广告牌" in flat and "全部补充协议" not in flat and "…" in flat
    assert "无关的记录" not in flat


def test_items_without_an_archive_number_get_no_label(client, archivist, filed_record):
    filed_record(title="已归档的合同")
    RecordFactory(title="尚未归档的提交")
    client.force_login(archivist)
    _pages, _text, flat = pdf_text(client.get(reverse("inventory_record_labels")))
    assert "已归档的合同" in flat and "尚未归档的提交" not in flat


def test_more_records_than_the_cap_are_refused_with_a_message(client, archivist, filed_record, monkeypatch):
    monkeypatch.setattr(views_labels, "MAX_LABELS", 2)
    for number in range(3):
        filed_record(title=f"合同{number}", year=2024)
    client.force_login(archivist)
    speak_english(client)
    response = client.get(reverse("inventory_record_labels"), {"year": 2024, "page": 2}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("record_list") + "?year=2024"
    assert "More than 2 records match this search" in response.content.decode()
    assert not AccessLog.objects.filter(action=AccessAction.PRINTED).exists()


def test_a_search_without_numbered_records_is_refused_with_a_message(client, archivist):
    RecordFactory(title="尚未归档的提交")
    client.force_login(archivist)
    speak_english(client)
    response = client.get(reverse("inventory_record_labels"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("record_list")
    assert "there is no label to print" in response.content.decode()


def test_the_record_list_links_to_labels_of_its_filter_for_the_archivist_only(client, archivist, staff, filed_record):
    filed_record(title="代理商协议甲", year=2024)
    client.force_login(archivist)
    page = client.get(reverse("record_list"), {"year": 2024}).content.decode()
    assert f'href="{reverse("inventory_record_labels")}?year=2024"' in page
    client.force_login(staff)
    page = client.get(reverse("record_list"), {"year": 2024}).content.decode()
    assert reverse("inventory_record_labels") not in page


def test_the_first_labels_of_a_used_sheet_can_be_skipped():
    labels = [label_sheets.Label(code=f"B{n}", heading=f"B{n}") for n in range(3)]
    sheets = label_sheets._sheets(labels, skip=23)
    assert len(sheets) == 2 and len(sheets[0]) == 8 and all(len(row) == 3 for row in sheets[0])
    assert [cell for row in sheets[0] for cell in row][:23] == [None] * 23
    assert sheets[0][7][2][0].code == "B0" and sheets[1][0][1][0].code == "B2"


def test_the_qr_code_holds_the_code_and_the_svg_does_not_repeat_it():
    svg = str(label_sheets.qr_svg("HT·2024-0001"))
    assert svg.startswith("<svg") and "<path" in svg and "HT·2024-0001" not in svg
    expected = segno.make_qr("HT·2024-0001", error="m", boost_error=False)
    assert segno.make_qr("HT·2024-0001", error="m", boost_error=False).matrix == expected.matrix
    assert expected.svg_inline(border=1, omitsize=True, svgclass="qr", lineclass=None) == svg
    assert expected.mode == "byte" and expected.error == "M"


@pytest.mark.parametrize("role", [Role.STAFF, Role.OUTSIDE_STAFF, Role.DEPARTMENT_HEAD, Role.LEADERSHIP, Role.SYSADMIN])
@pytest.mark.parametrize("name", URLS)
def test_only_the_archivist_prints_labels(client, role_users, filed_record, shelves, role, name):
    filed_record(title="代理商协议甲", location=shelves["B001"])
    client.force_login(role_users[role])
    response = client.get(reverse(name), {"location": shelves["cabinet"].pk})
    assert response.status_code == 403
    assert "代理商协议甲" not in response.content.decode() and b"%PDF" not in response.content


@pytest.mark.parametrize("name", URLS)
def test_anonymous_is_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", URLS)
def test_printing_takes_get_only(client, archivist, shelves, name):
    client.force_login(archivist)
    assert client.post(reverse(name), {"location": shelves["cabinet"].pk}).status_code == 405


def _filled_shelf(room_code, boxes, records_per_box, archivist):
    """A room > shelf with `boxes` boxes, each holding filed records."""
    room = LocationFactory(code=room_code)
    shelf = LocationFactory(parent=room, kind=LocationKind.SHELF, code="S1")
    for number in range(boxes):
        box = LocationFactory(parent=shelf, kind=LocationKind.BOX, code=f"B{number:03d}")
        for year in range(2020, 2020 + records_per_box):
            record_file(record=RecordFactory(year=year), by=archivist, location=box)
    return room


def test_pages_and_sheets_run_as_many_queries_for_few_boxes_as_for_many(client, archivist):
    small = _filled_shelf("R1", 2, 1, archivist)
    large = _filled_shelf("R2", 30, 2, archivist)
    client.force_login(archivist)
    url = reverse("inventory_box_labels")
    assert queries_for(client, f"{url}?location={small.pk}") == queries_for(client, f"{url}?location={large.pk}")
    index = reverse("inventory_labels")
    before = queries_for(client, index)
    _filled_shelf("R3", 20, 0, archivist)
    assert queries_for(client, index) == before
    records = reverse("inventory_record_labels")
    few = queries_for(client, f"{records}?location={small.pk}")
    assert queries_for(client, f"{records}?location={large.pk}") == few
