"""Issue 16 point 7: a box's contents page lists every record kept in it
(or in a shelf, cabinet or room and the places inside) with its status,
only the records the reader may see (R-LEND-4), logging the confidential
ones listed (R-ACCESS); the record page's location links to it."""
import re

import pytest
from django.urls import reverse

from accounts.roles import Role
from records.models import AccessAction, AccessLog, Record, SecurityLevel
from records.services import record_check_out
from tests.inventory.support import shelves
from tests.query_counts import queries_for


def rows(page):
    """{archive number: status text} of the record table."""
    table = page[page.index('class="data-table record-table"'):]
    table = table[:table.index("</table>")]
    found = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
        number = re.search(r'<td class="nowrap mono">([^<]*)</td>', row)
        status = re.search(r'badge--status-[a-z_]+">([^<]*)</span>', row)
        if number:
            found[number.group(1)] = status.group(1)
    return found


@pytest.fixture
def boxes(db):
    room, cabinet, (first, second) = shelves(boxes=2)
    return room, cabinet, first, second


def test_a_box_lists_every_record_in_it_with_its_status(client, archivist, filed_record, boxes):
    _room, _cabinet, first, second = boxes
    kept = [filed_record(location=first) for _ in range(3)]
    elsewhere = filed_record(location=second)
    record_check_out(record=kept[0], reason="借出", by=archivist)
    client.force_login(archivist)
    page = client.get(reverse("location_contents", args=[first.pk])).content.decode()
    listed = rows(page)
    assert set(listed) == {record.archive_number for record in kept}
    assert elsewhere.archive_number not in page
    statuses = {record.archive_number: record.get_status_display() for record in Record.objects.filter(location=first)}
    assert listed == statuses
    assert 'data-count="3"' in page


def test_a_cabinet_lists_the_records_of_its_boxes_and_links_them(client, archivist, filed_record, boxes):
    _room, cabinet, first, second = boxes
    records = [filed_record(location=first), filed_record(location=second)]
    client.force_login(archivist)
    page = client.get(reverse("location_contents", args=[cabinet.pk])).content.decode()
    assert set(rows(page)) == {record.archive_number for record in records}
    assert reverse("location_contents", args=[first.pk]) in page
    assert reverse("location_contents", args=[second.pk]) in page


def test_confidential_records_are_left_out_for_staff_and_logged_for_the_keeper(
    client, staff, archivist, filed_record, boxes
):
    _room, _cabinet, first, _second = boxes
    public = filed_record(location=first)
    secret = filed_record(location=first, security_level=SecurityLevel.CONFIDENTIAL, title="绝密合同")
    client.force_login(staff)
    page = client.get(reverse("location_contents", args=[first.pk])).content.decode()
    assert set(rows(page)) == {public.archive_number}
    assert "绝密合同" not in page and secret.archive_number not in page
    assert not AccessLog.objects.exists()
    client.force_login(archivist)
    page = client.get(reverse("location_contents", args=[first.pk])).content.decode()
    assert secret.archive_number in rows(page)
    assert AccessLog.objects.filter(record=secret, user=archivist, action=AccessAction.LISTED).count() == 1


def test_the_record_page_links_its_location_to_the_contents(client, archivist, filed_record, boxes):
    record = filed_record(location=boxes[2])
    client.force_login(archivist)
    page = client.get(reverse("record_detail", args=[record.pk])).content.decode()
    assert f'href="{reverse("location_contents", args=[boxes[2].pk])}"' in page


def test_anonymous_visitors_are_sent_to_sign_in_and_unknown_places_are_404(client, staff, boxes):
    url = reverse("location_contents", args=[boxes[2].pk])
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(staff)
    assert client.get(reverse("location_contents", args=[999999])).status_code == 404
    assert client.post(url).status_code == 405


def test_the_page_is_in_chinese(client, role_users, boxes):
    client.force_login(role_users[Role.ARCHIVIST])
    page = client.get(reverse("location_contents", args=[boxes[2].pk])).content.decode()
    assert "存放的档案" in page and "这里没有您可查看的档案。" in page


def test_queries_do_not_grow_with_the_records(client, archivist, filed_record, boxes):
    box = boxes[2]
    filed_record(location=box)
    client.force_login(archivist)
    url = reverse("location_contents", args=[box.pk])
    few = queries_for(client, url)
    for _ in range(15):
        filed_record(location=box)
    assert queries_for(client, url) == few
