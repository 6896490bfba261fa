"""Issue 16 point 7: the list of past handovers (R-FILE-3): who handed
over, who received, when, how many items and pages, each linked to its
page; the keepers see every handover, a submitter their own; reachable
from the receiving queue and the handover page."""
import re

import pytest
from django.urls import reverse

from accounts.roles import Role
from records.services import handover_receive
from tests.conftest import make_user
from tests.query_counts import queries_for
from tests.records.test_filing_services import make_box, submitted

LIST = reverse("handover_list")


def listed(page):
    """{handover number: items shown} in the list's order."""
    return dict(re.findall(r'data-handover="([^"]+)".*?data-items="(\d+)"', page, re.S))


@pytest.fixture
def handovers(staff, archivist):
    """Two handovers of `staff` (two items, one item) and one of another member."""
    box = make_box()
    other = make_user(Role.STAFF, "other_staff")
    first = handover_receive(
        by=archivist,
        items=[(submitted(staff, copies=1, pages=12), 1, 12, True, "", box),
               (submitted(staff, copies=1, pages=8), 1, 8, True, "", box)],
    )
    second = handover_receive(by=archivist, items=[(submitted(staff, copies=1, pages=5), 1, 5, True, "", box)])
    third = handover_receive(by=archivist, items=[(submitted(other, copies=1, pages=3), 1, 3, True, "", box)])
    return first, second, third


def test_the_keeper_sees_every_handover_newest_first_with_counts(client, archivist, handovers):
    first, second, third = handovers
    client.force_login(archivist)
    page = client.get(LIST).content.decode()
    assert list(listed(page).items()) == [(third.number, "1"), (second.number, "1"), (first.number, "2")]
    for handover in handovers:
        assert f'href="{reverse("handover_detail", args=[handover.pk])}"' in page
    row = page[page.index(f'data-handover="{first.number}"'):]
    row = row[:row.index("</tr>")]
    assert ">20<" in row  # pages of both items
    assert first.handed_over_by.display_name in row and archivist.display_name in row


def test_a_submitter_sees_only_their_own_handovers(client, staff, handovers):
    first, second, third = handovers
    client.force_login(staff)
    page = client.get(LIST).content.decode()
    assert set(listed(page)) == {first.number, second.number}
    assert third.number not in page


@pytest.mark.parametrize("role", [Role.DEPARTMENT_HEAD, Role.ARCHIVIST])
def test_holders_of_view_handover_see_all(client, role_users, role, handovers):
    client.force_login(role_users[role])
    assert set(listed(client.get(LIST).content.decode())) == {handover.number for handover in handovers}


def test_someone_without_handovers_sees_an_empty_list_in_words(client, outside_staff, handovers):
    client.force_login(outside_staff)
    page = client.get(LIST).content.decode()
    assert listed(page) == {}
    assert "还没有移交记录。" in page


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_reachable_from_the_queue_and_the_handover_page(client, archivist, handovers):
    client.force_login(archivist)
    assert f'href="{LIST}"' in client.get(reverse("receiving_queue")).content.decode()
    detail = client.get(reverse("handover_detail", args=[handovers[0].pk])).content.decode()
    assert f'href="{LIST}"' in detail
    box = handovers[0].items.first().record.location
    assert f'href="{reverse("location_contents", args=[box.pk])}"' in detail


def test_queries_do_not_grow_with_the_handovers(client, archivist, staff, handovers):
    client.force_login(archivist)
    few = queries_for(client, LIST)
    box = make_box("B002")
    for _ in range(5):
        handover_receive(by=archivist, items=[(submitted(staff, copies=1, pages=2), 1, 2, True, "", box)])
    assert queries_for(client, LIST) == few


def test_the_list_narrows_by_number_or_name_and_by_year(client, archivist, handovers):
    first, second, third = handovers
    third.handed_over_by.full_name = "赵敏"
    third.handed_over_by.save()
    client.force_login(archivist)
    assert set(listed(client.get(LIST, {"q": "赵敏"}).content.decode())) == {third.number}
    assert set(listed(client.get(LIST, {"q": second.number}).content.decode())) == {second.number}
    this_year = first.received_at.year
    assert len(listed(client.get(LIST, {"year": this_year}).content.decode())) == 3
    page = client.get(LIST, {"year": this_year - 1}).content.decode()
    assert listed(page) == {} and "没有符合条件的移交记录。" in page


def test_a_filter_never_shows_a_submitter_others_handovers(client, staff, handovers):
    first, second, third = handovers
    client.force_login(staff)
    assert listed(client.get(LIST, {"q": third.number}).content.decode()) == {}


def test_a_wrong_year_is_named_and_the_list_stays_whole(client, archivist, handovers):
    client.force_login(archivist)
    page = client.get(LIST, {"year": "去年"}).content.decode()
    assert "输入整数。" in page
    assert len(listed(page)) == 3
