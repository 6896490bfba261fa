"""The home page's to-do list (records.todo, issue 16): per role, the right
items with the right counts, each linking to the screen that does it; an
empty state in words; a fixed number of queries however much waits."""
import datetime
import re
from html import unescape

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from clients.models import Client
from disposal.models import ItemAction, ListState
from inventory import services as inventory_services
from lending.models import Incident, IncidentKind, LoanRequest, RequestKind, RequestState
from records.models import Record, RecordStatus
from records.todo import TodoItem, register_todo, todo_items, unregister_todo
from tests.disposal.registers_support import make_list, on_list
from tests.factories import RecordFactory, category, marketing_department
from tests.inventory.support import shelves
from tests.lending import volume
from tests.query_counts import queries_for

ONE_DAY = datetime.timedelta(days=1)
ITEM = re.compile(
    r'<li class="todo-item todo-item--(?P<tone>\w+)">\s*<a href="(?P<url>[^"]*)">\s*'
    r'<span class="todo-item__count">(?P<count>\d+)</span>\s*'
    r'<span class="todo-item__label">(?P<label>[^<]*)'
)


def todo_of(client, user):
    """{(url, label): (count, tone)} of the to-do list on `user`'s home page,
    and the page."""
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    section = html[html.index('data-panel="todo"') :]
    section = section[: section.index("</section>")]
    return {
        (unescape(match["url"]), unescape(match["label"]).strip()): (int(match["count"]), match["tone"])
        for match in ITEM.finditer(section)
    }, html


def by_url(todo):
    """{url: count} when each url appears once."""
    return {url: count for (url, _label), (count, _tone) in todo.items()}


def submitted(count, *, by, status=RecordStatus.SUBMITTED):
    # The factory's class and department, looked up once rather than for each record.
    shared = {"category": category(), "department": marketing_department()}
    return Record.objects.bulk_create(
        [RecordFactory.build(submitted_by=by, status=status, **shared) for _index in range(count)]
    )


# --- the registry ------------------------------------------------------------------------


class _Request:
    def __init__(self, user):
        self.user = user


def test_items_with_nothing_to_do_are_left_out_and_the_rest_keep_their_order(staff):
    register_todo("test.late", lambda request: [TodoItem("late", 3, "/late/")], order=1000)
    register_todo("test.early", lambda request: [TodoItem("none", 0, "/none/"), TodoItem("early", 1, "/early/")], order=-1)
    try:
        items = todo_items(_Request(staff))
    finally:
        unregister_todo("test.late")
        unregister_todo("test.early")
    labels = [item.label for item in items]
    assert labels[0] == "early" and labels[-1] == "late" and "none" not in labels
    assert [item.label for item in todo_items(_Request(staff))].count("late") == 0


def test_a_tone_outside_the_three_is_refused():
    with pytest.raises(ValueError):
        TodoItem("x", 1, "/", tone="loud")


# --- per role ----------------------------------------------------------------------------


def test_archivist_sees_what_to_receive_hand_out_chase_and_review(client, archivist, staff):
    submitted(5, by=staff)
    submitted(2, by=staff, status=RecordStatus.DRAFT)  # a draft is not the archivist's yet
    volume.open_loans(1, borrowers=[staff], handed_out_by=archivist, due_in=-ONE_DAY)
    volume.open_loans(2, borrowers=[staff], handed_out_by=archivist, due_in=ONE_DAY)
    approved = volume.records(2)
    LoanRequest.objects.bulk_create([
        LoanRequest(requester=staff, record=record, kind=RequestKind.BORROW, purpose="看", days=2,
                    state=RequestState.APPROVED, decided_at=timezone.now())
        for record in approved
    ])
    loan = volume.open_loans(1, borrowers=[staff], handed_out_by=archivist)[0]
    Incident.objects.create(
        loan=loan, record=loan.record, borrower=staff, kind=IncidentKind.DAMAGED, description="水渍", opened_by=archivist
    )
    for name in ("甲公司", "乙公司", "丙公司"):
        Client.objects.create(name=name, client_type="agent")

    todo, _html = todo_of(client, archivist)

    desk = reverse("lending_desk")
    assert todo[(reverse("receiving_queue"), gettext("Items handed in, waiting to be received"))] == (5, "normal")
    assert todo[(f"{desk}#to-hand-out", gettext("Approved loans to hand out"))] == (2, "normal")
    assert todo[(f"{desk}#overdue", gettext("Loans overdue"))] == (1, "danger")
    assert todo[(f"{desk}#incidents", gettext("Lending incidents not yet resolved"))] == (1, "warning")
    assert todo[(reverse("client_review_due"), gettext("Client files due for their review"))] == (3, "normal")
    # The archivist has no loans of their own; the drafts are not theirs to receive.
    assert reverse("lending_mine") + "#loans" not in by_url(todo)


def test_archivist_sees_the_open_stocktake(client, archivist):
    _room, _cabinet, boxes = shelves(boxes=1)
    stocktake = inventory_services.stocktake_open(year=timezone.localdate().year, locations=boxes, by=archivist)

    todo, _html = todo_of(client, archivist)

    assert by_url(todo)[reverse("inventory_stocktake_detail", args=[stocktake.pk])] == 1


def test_staff_see_their_drafts_returned_items_and_loans_due(client, staff, archivist):
    submitted(2, by=staff, status=RecordStatus.DRAFT)
    submitted(3, by=staff, status=RecordStatus.RETURNED)
    submitted(4, by=archivist, status=RecordStatus.DRAFT)  # someone else's drafts
    volume.open_loans(1, borrowers=[staff], handed_out_by=archivist, due_in=-ONE_DAY)
    volume.open_loans(2, borrowers=[staff], handed_out_by=archivist, due_in=ONE_DAY)
    volume.open_loans(5, borrowers=[archivist], handed_out_by=archivist, due_in=-ONE_DAY)  # not theirs

    todo, _html = todo_of(client, staff)

    mine, lending = reverse("my_submissions"), reverse("lending_mine")
    assert todo == {
        (mine, gettext("Submissions returned to you, to correct and hand in again")): (3, "warning"),
        (mine, gettext("Drafts not yet handed in")): (2, "normal"),
        (f"{lending}#loans", gettext("Your loans overdue: please return them")): (1, "danger"),
        (f"{lending}#loans", gettext("Your loans due in the next %(days)s days") % {"days": 3}): (2, "warning"),
    }


def test_department_head_sees_approvals_and_lists_to_sign(client, department_head, archivist, leadership):
    volume.asked_for_confidential(3)  # the archive's head signs (R-LEND-4)
    make_list(archivist, "JD-2024-0001", state=ListState.SUBMITTED, submitted_at=timezone.now())
    make_list(archivist, "JD-2024-0002", state=ListState.DRAFT)  # not sent yet

    todo, html = todo_of(client, department_head)

    assert todo[(reverse("lending_inbox"), gettext("Loan requests waiting for your approval"))] == (3, "normal")
    assert todo[(reverse("disposal_inbox"), gettext("Disposal lists waiting for your signature"))] == (1, "normal")
    assert gettext("Destructions waiting for your approval") not in html


def test_leadership_sees_destructions_waiting_for_their_approval(client, leadership, department_head, archivist):
    waiting = make_list(
        archivist, "JD-2024-0003", state=ListState.HEAD_APPROVED,
        submitted_at=timezone.now(), head_approved_by=department_head, head_approved_at=timezone.now(),
    )
    on_list(waiting, volume.records(1)[0], action=ItemAction.DESTROY)

    todo, html = todo_of(client, leadership)

    assert todo[(reverse("disposal_inbox"), gettext("Destructions waiting for your approval"))] == (1, "warning")
    assert gettext("Disposal lists waiting for your signature") not in html


def test_sysadmin_sees_the_sign_ins_locked_now(client, sysadmin):
    now = timezone.now()
    for index, when in enumerate([now, now, now - settings.AXES_COOLOFF_TIME - ONE_DAY]):
        attempt = AccessAttempt.objects.create(
            username=f"user{index}", ip_address="10.0.0.1", user_agent="test",
            failures_since_start=settings.AXES_FAILURE_LIMIT, get_data="", post_data="", http_accept="", path_info="/",
        )
        # attempt_time is set on creation; the last one is past its cool-off.
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=when)
    AccessAttempt.objects.create(
        username="fumbled", ip_address="10.0.0.2", user_agent="test", attempt_time=now,
        failures_since_start=1, get_data="", post_data="", http_accept="", path_info="/",
    )

    todo, _html = todo_of(client, sysadmin)

    url = reverse("admin:axes_accessattempt_changelist")
    assert todo == {(url, gettext("Sign-ins locked after too many wrong passwords")): (2, "warning")}


def test_nothing_waiting_says_so_in_words(client, leadership):
    todo, html = todo_of(client, leadership)
    assert todo == {}
    assert gettext("Nothing is waiting for you. Well done.") in html
    # The to-do list comes first on the page.
    assert html.index('data-panel="todo"') < html.index('id="status-counts-heading"')


def test_each_link_opens_for_its_viewer(client, archivist, staff, department_head):
    """Every item links to a screen its viewer may open."""
    submitted(1, by=staff)
    submitted(1, by=staff, status=RecordStatus.RETURNED)
    volume.open_loans(1, borrowers=[staff], handed_out_by=archivist, due_in=-ONE_DAY)
    volume.asked_for_confidential(1)
    for user in (archivist, staff, department_head):
        todo, _html = todo_of(client, user)
        assert todo, user
        for url, _label in todo:
            assert client.get(url).status_code == 200, (user, url)


# --- a fixed number of queries -----------------------------------------------------------


def _pile_up(count, *, archivist, staff, start=0):
    submitted(count, by=staff)
    submitted(count, by=archivist, status=RecordStatus.RETURNED)
    volume.open_loans(count, borrowers=[staff, archivist], handed_out_by=archivist, due_in=-ONE_DAY)
    volume.asked_for_confidential(count)
    Client.objects.bulk_create(
        [Client(code=f"KH{start + index:06d}", name=f"客户{start + index}", client_type="agent") for index in range(count)]
    )


@pytest.mark.parametrize("role", ["archivist", "department_head", "staff"])
def test_the_home_page_asks_as_many_queries_at_1000_waiting_as_at_10(client, role, request, archivist, staff):
    user = request.getfixturevalue(role)
    client.force_login(user)
    _pile_up(10, archivist=archivist, staff=staff)
    client.get(reverse("home"))  # the first request reads what later ones find cached
    at_10 = queries_for(client, reverse("home"))
    todo_at_10, _html = todo_of(client, user)
    _pile_up(990, archivist=archivist, staff=staff, start=10)
    at_1000 = queries_for(client, reverse("home"))
    todo_at_1000, _html = todo_of(client, user)
    assert at_1000 == at_10
    assert sum(count for count, _tone in todo_at_1000.values()) > sum(count for count, _tone in todo_at_10.values())
