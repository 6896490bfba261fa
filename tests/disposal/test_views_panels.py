"""What disposal shows elsewhere: the home panel and the inbox list what
waits for the viewer (the head: submitted; leadership: head-approved and
destroying; the archivist: approved to execute, returned; witnesses: to
confirm), the navigation bar offers 鉴定销毁 to the archivist, the head and
leadership, and the record page of a destroyed, transferred or weeded
record says when and under which list (R-DISP-1..3)."""
import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from disposal import services
from disposal.models import ItemAction, ListKind
from tests.disposal.support import (
    approved, confirmed, draft, due_record, fresh, head_approved, record_destruction, submitted, witnesses,
)
from tests.disposal.views_support import EVERY_ROLE, LIST_READERS, signed_in, text_of
from tests.query_counts import queries_for


def home_panel(client):
    body = text_of(client.get(reverse("home")))
    if 'data-panel="disposal"' not in body:
        return None
    return body.split('data-panel="disposal"')[1].split("</section>\n</section>")[0]


def section(panel, name):
    if panel is None or f'data-section="{name}"' not in panel:
        return None
    return panel.split(f'data-section="{name}"')[1].split("</section>")[0]


def test_the_home_panel_lists_what_waits_for_each(client, archivist, department_head, leadership, filed_record):
    waiting_for_head = submitted(archivist, [due_record(filed_record)])
    waiting_for_leadership = head_approved(archivist, department_head, [due_record(filed_record)])
    to_execute = approved(archivist, department_head, leadership, [due_record(filed_record)])
    returned = submitted(archivist, [due_record(filed_record)])
    services.list_return(disposal_list=returned, by=department_head, reason="补充意见")
    people = witnesses()
    destruction = record_destruction(to_execute, archivist, people)

    head = section(home_panel(signed_in(client, department_head)), "approve")
    assert waiting_for_head.number in head and waiting_for_leadership.number not in head
    lead = section(home_panel(signed_in(client, leadership)), "approve")
    assert waiting_for_leadership.number in lead and waiting_for_head.number not in lead
    panel = home_panel(signed_in(client, archivist))
    assert to_execute.number in section(panel, "execute") and returned.number in section(panel, "returned")
    assert section(panel, "approve") is None
    witness = home_panel(signed_in(client, people[0]))
    assert reverse("disposal_witness_confirm", args=[destruction.witnesses.get(user=people[0]).pk]) in section(witness, "confirm")
    assert section(witness, "approve") is None and section(witness, "execute") is None


def test_nothing_waiting_no_panel(client, staff, department_head):
    assert home_panel(signed_in(client, staff)) is None
    assert home_panel(signed_in(client, department_head)) is None


def test_the_inbox_lists_the_same(client, archivist, department_head, filed_record):
    disposal_list = submitted(archivist, [due_record(filed_record)])
    body = text_of(signed_in(client, department_head).get(reverse("disposal_inbox")))
    assert disposal_list.number in section(body, "approve")
    body = text_of(signed_in(client, archivist).get(reverse("disposal_inbox")))
    assert "Nothing is waiting for you." in body and reverse("disposal_appraisal") in body


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_the_navigation_offers_disposal_to_those_who_read_lists(client, role_users, role):
    body = text_of(signed_in(client, role_users[role]).get(reverse("home")))
    nav = body.split('class="main-nav"')[1].split("</nav>")[0]
    assert (f'href="{reverse("disposal_inbox")}"' in nav) == (role in LIST_READERS)


def test_the_navigation_link_reads_jianding_xiaohui_in_chinese(client, archivist):
    client.force_login(archivist)
    with translation.override("zh-hans"):
        expected = translation.gettext("Appraisal and disposal")
    nav = text_of(client.get(reverse("home"))).split('class="main-nav"')[1].split("</nav>")[0]
    assert f'{reverse("disposal_inbox")}">{expected}</a>' in nav


# --- the record page ------------------------------------------------------------------------------


def tombstone(client, record):
    body = text_of(client.get(reverse("record_detail", args=[record.pk])))
    return body.split('class="disposal-tombstone">')[1].split("</p>")[0] if "disposal-tombstone" in body else None


def test_r_disp_3_a_destroyed_record_says_when_and_under_which_list(
    client, archivist, department_head, leadership, staff, filed_record
):
    record = due_record(filed_record)
    disposal_list = approved(archivist, department_head, leadership, [record])
    destruction = confirmed(disposal_list, archivist, witnesses())
    services.list_execute(disposal_list=fresh(disposal_list), by=archivist)
    with translation.override("en"):
        day = formats.date_format(destruction.date, "DATE_FORMAT")
    link = f'<a class="mono" href="{reverse("disposal_list_detail", args=[disposal_list.pk])}">{disposal_list.number}</a>'
    assert tombstone(signed_in(client, archivist), record) == f"Destroyed on {day}, destruction list {link}"
    # Staff who could see the record see the line, without the link to a list they may not open.
    assert tombstone(signed_in(client, staff), record) == f"Destroyed on {day}, destruction list {disposal_list.number}"


def test_r_disp_3_the_tombstone_in_chinese(client, archivist, department_head, leadership, filed_record):
    record = due_record(filed_record)
    disposal_list = approved(archivist, department_head, leadership, [record])
    confirmed(disposal_list, archivist, witnesses())
    services.list_execute(disposal_list=fresh(disposal_list), by=archivist)
    client.force_login(archivist)
    with translation.override("zh-hans"):
        words = translation.gettext("Destroyed on %(date)s, destruction list %(number)s")
        day = formats.date_format(timezone.localdate(), "DATE_FORMAT")
    assert day == f"{timezone.localdate().year}年{timezone.localdate().month}月{timezone.localdate().day}日"
    line = tombstone(client, record)
    assert line.startswith(words.split("%(date)s")[0] + day) and disposal_list.number in line


def test_r_disp_1_a_weeded_record_says_so(client, archivist, department_head, filed_record):
    record = filed_record(year=2024)
    weeding = submitted(archivist, [record], kind=ListKind.WEEDING)
    services.list_approve(disposal_list=weeding, by=department_head)
    line = tombstone(signed_in(client, archivist), record)
    assert line.startswith("Weeded out on") and weeding.number in line


def test_a_transferred_record_says_to_whom(client, archivist, department_head, filed_record):
    record = due_record(filed_record)
    disposal_list = draft(archivist, [record], action=ItemAction.TRANSFER, receiving_body="集团档案馆")
    services.list_submit(disposal_list=disposal_list, by=archivist)
    services.list_approve(disposal_list=fresh(disposal_list), by=department_head)
    services.list_execute(disposal_list=fresh(disposal_list), by=archivist)
    line = tombstone(signed_in(client, archivist), record)
    assert line.startswith("Transferred out on") and "集团档案馆" in line and disposal_list.number in line


def test_a_record_on_an_open_list_shows_it_to_list_readers_only(client, archivist, staff, filed_record):
    record = due_record(filed_record)
    disposal_list = draft(archivist, [record])
    body = text_of(signed_in(client, archivist).get(reverse("record_detail", args=[record.pk])))
    assert f"On list {disposal_list.number}" in body
    body = text_of(signed_in(client, staff).get(reverse("record_detail", args=[record.pk])))
    assert disposal_list.number not in body and 'data-panel="disposal"' not in body


def test_the_home_page_runs_the_same_queries_with_1_and_30_lists_waiting(client, archivist, department_head, filed_record):
    signed_in(client, department_head)
    submitted(archivist, [due_record(filed_record)])
    queries_for(client, reverse("home"))  # the session and caches warmed up
    small = queries_for(client, reverse("home"))
    for _ in range(29):
        submitted(archivist, [due_record(filed_record)])
    assert queries_for(client, reverse("home")) == small + 1  # the count, once more than five wait
