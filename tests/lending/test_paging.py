"""Lending's lists come 20 rows a page (issue 11): newest first for the
inbox and 我的借阅's requests (the notices page is accounts':
tests/accounts/test_notices.py); each list of a page with several is paged
on its own parameter and keeps the others'. The page links are in the
reader's language (第 2 页 共 2 页)."""
import re

import pytest
from django.urls import reverse

from lending import selectors
from lending.models import LoanRequest
from tests.factories import marketing_department
from tests.lending import volume

ROWS = 25  # a full first page of 20 and a second of 5


@pytest.fixture
def archive_head(department_head):
    department = marketing_department()
    department.head = department_head
    department.save()
    return department_head


def _section(html, section_id):
    """The HTML of the section with this id, up to the next section."""
    start = html.index(f'id="{section_id}"')
    end = html.find("<section", start)
    return html[start : end if end != -1 else len(html)]


def _shown(html, attribute):
    return [int(pk) for pk in re.findall(rf'data-{attribute}="(\d+)"', html)]


def _get(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_inbox_shows_20_newest_first_and_the_rest_on_page_2(client, archive_head, archivist, staff):
    requests = volume.asked_for_confidential(ROWS)
    volume.pending_extensions(volume.open_loans(3, borrowers=[staff], handed_out_by=archivist))
    newest_first = [request.pk for request in sorted(requests, key=lambda request: request.created_at, reverse=True)]
    assert [request.pk for request in selectors.waiting_for(archive_head).requests] == newest_first

    first = _get(client, archive_head, reverse("lending_inbox"))
    assert _shown(_section(first, "requests"), "request") == newest_first[:20]
    assert "第 1 页 共 2 页" in first and "下一页" in first
    # The navigation bar counts every request and later due date waiting, not one page.
    assert re.search(r'href="/lending/inbox/"[^>]*>待审批 <span class="nav-count"[^>]*>28</span>', first)

    second = _get(client, archive_head, reverse("lending_inbox") + "?page=2&extensions_page=1")
    assert _shown(_section(second, "requests"), "request") == newest_first[20:]
    assert "第 2 页 共 2 页" in second and "上一页" in second
    assert 'href="?page=1&amp;extensions_page=1#requests"' in second  # the other list's page is kept
    assert len(_shown(_section(second, "extensions"), "extension")) == 3


def test_my_lending_pages_requests_and_loans_each_on_its_own(client, staff, archive_head, archivist):
    volume.own_requests(ROWS, requester=staff, approver=archive_head)
    loans = volume.open_loans(ROWS, borrowers=[staff], handed_out_by=archivist)
    newest_first = list(
        LoanRequest.objects.filter(requester=staff).order_by("-created_at", "-pk").values_list("pk", flat=True)
    )
    assert len(newest_first) == 2 * ROWS  # the loans' requests are the person's too

    first = _get(client, staff, reverse("lending_mine"))
    assert _shown(_section(first, "requests"), "request") == newest_first[:20]
    assert len(_shown(_section(first, "loans"), "loan")) == 20

    last = _get(client, staff, reverse("lending_mine") + "?page=3")
    assert _shown(_section(last, "requests"), "request") == newest_first[40:]
    assert "第 3 页 共 3 页" in last
    second = _get(client, staff, reverse("lending_mine") + "?page=2")
    assert _shown(_section(second, "requests"), "request") == newest_first[20:40]
    assert len(_shown(_section(second, "loans"), "loan")) == 20  # still the first page of loans

    loans_page = _get(client, staff, reverse("lending_mine") + "?loans_page=2")
    shown = _shown(_section(loans_page, "loans"), "loan")
    assert len(shown) == 5 and set(shown) < {loan.pk for loan in loans}
    assert _shown(_section(loans_page, "requests"), "request") == newest_first[:20]


def test_the_desk_pages_each_list_and_counts_the_whole_list(client, staff, archivist):
    volume.approved_requests(3, requesters=[staff])
    volume.open_loans(ROWS, borrowers=[staff], handed_out_by=archivist, due_in=-volume.ONE_DAY)

    first = _get(client, archivist, reverse("lending_desk"))
    assert re.search(rf'data-count="overdue">{ROWS}<', first) and re.search(rf'data-count="out">{ROWS}<', first)
    assert len(_shown(_section(first, "overdue"), "loan")) == 20

    second = _get(client, archivist, reverse("lending_desk") + "?overdue_page=2")
    assert len(_shown(_section(second, "overdue"), "loan")) == 5
    assert len(_shown(_section(second, "out"), "loan")) == 20
    assert len(_shown(_section(second, "to-hand-out"), "request")) == 3
    assert 'href="?overdue_page=1#overdue"' in second
