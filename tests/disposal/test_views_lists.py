"""The lists' pages (R-DISP-1..3): the index with its filters, a new list,
a list's page (items, struck-off items apart, signatures, the actions the
viewer may take), the opinion, submitting and returning; who may open each
(403 for the others, 405 for a wrong method); refusals shown with the
message and nothing changed."""
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from disposal import services
from disposal.models import DisposalList, ListKind, ListState
from tests.disposal.support import YEAR, draft, due_record, fresh, head_approved, state, submitted
from tests.disposal.views_support import EVERY_ROLE, LIST_READERS, shown_messages, signed_in, text_of


def url(name, disposal_list=None):
    return reverse(name, args=[disposal_list.pk] if disposal_list else [])


def actions_of(response):
    return text_of(response).split('class="panel actions-panel list-actions"')[1].split("</section>")[0]


# --- who may open what ------------------------------------------------------------------------


@pytest.mark.parametrize("role", EVERY_ROLE)
@pytest.mark.parametrize("name", ["disposal_lists", "disposal_inbox", "disposal_list_detail"])
def test_list_pages_are_for_those_who_read_lists(client, role_users, archivist, filed_record, role, name):
    disposal_list = draft(archivist, [due_record(filed_record, title="清册页面档案")])
    response = signed_in(client, role_users[role]).get(url(name, disposal_list if name.endswith("detail") else None))
    assert response.status_code == (200 if role in LIST_READERS else 403)
    if name.endswith("detail") and role in LIST_READERS:
        assert "清册页面档案" in text_of(response)


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_only_the_archivist_drafts_a_new_list(client, role_users, role):
    response = signed_in(client, role_users[role]).get(url("disposal_list_create"))
    assert response.status_code == (200 if role == Role.ARCHIVIST else 403)


@pytest.mark.parametrize(
    "name, method",
    [
        ("disposal_lists", "post"),
        ("disposal_inbox", "post"),
        ("disposal_list_detail", "post"),
        ("disposal_list_submit", "get"),
        ("disposal_list_opinion", "put"),
        ("disposal_list_return", "delete"),
        ("disposal_list_create", "put"),
    ],
)
def test_wrong_methods_are_refused(client, archivist, name, method):
    disposal_list = draft(archivist, [])
    needs_list = name not in ("disposal_lists", "disposal_inbox", "disposal_list_create")
    response = getattr(signed_in(client, archivist), method)(url(name, disposal_list if needs_list else None))
    assert response.status_code == 405


def test_a_list_that_does_not_exist_is_not_found(client, archivist):
    assert signed_in(client, archivist).get(reverse("disposal_list_detail", args=[999])).status_code == 404


# --- the index ---------------------------------------------------------------------------------


def test_the_index_filters_by_kind_state_and_year(client, archivist, filed_record):
    weeding = draft(archivist, [], kind=ListKind.WEEDING)
    appraisal = draft(archivist, [due_record(filed_record)], year=YEAR)
    older = draft(archivist, [], year=2020)
    signed_in(client, archivist)

    def numbers(query):
        return {number for number in (weeding.number, appraisal.number, older.number)
                if f'data-list="{number}"' in text_of(client.get(url("disposal_lists") + query))}

    assert numbers("") == {weeding.number, appraisal.number, older.number}
    assert numbers("?kind=weeding") == {weeding.number}
    assert numbers(f"?kind=appraisal&year={YEAR}") == {appraisal.number}
    assert numbers("?state=submitted") == set()
    services.list_submit(disposal_list=appraisal, by=archivist)
    assert numbers("?state=submitted") == {appraisal.number}


# --- a new list ----------------------------------------------------------------------------------


def test_the_archivist_drafts_a_weeding_list(client, archivist):
    response = signed_in(client, archivist).post(url("disposal_list_create"), {"kind": "weeding", "opinion": "整理中剔除"})
    disposal_list = DisposalList.objects.get()
    assert response["Location"] == url("disposal_list_detail", disposal_list)
    assert (disposal_list.kind, disposal_list.year, disposal_list.opinion) == (
        ListKind.WEEDING, timezone.localdate().year, "整理中剔除"
    )


def test_an_appraisal_list_of_a_year_to_come_is_refused(client, archivist):
    before = state()
    next_year = timezone.localdate().year + 1
    response = signed_in(client, archivist).post(url("disposal_list_create"), {"kind": "appraisal", "year": next_year})
    assert response.status_code == 200 and f"{next_year} has not ended yet" in text_of(response)
    assert state() == before


# --- a list's page ---------------------------------------------------------------------------------


def test_the_page_shows_items_the_struck_ones_apart_and_the_signatures(
    client, archivist, department_head, filed_record
):
    kept, destroyed = due_record(filed_record, title="保留档案"), due_record(filed_record, title="销毁档案")
    disposal_list = submitted(archivist, [kept, destroyed])
    services.item_strike(item=disposal_list.items.get(record=kept), by=department_head, reason="仍在使用")
    disposal_list = services.list_approve(disposal_list=fresh(disposal_list), by=department_head)
    body = text_of(signed_in(client, archivist).get(url("disposal_list_detail", disposal_list)))
    items = body.split('class="data-table list-items"')[1].split("</table>")[0]
    struck = body.split('class="data-table struck-items"')[1].split("</table>")[0]
    assert "销毁档案" in items and "保留档案" not in items
    assert "保留档案" in struck and "仍在使用" in struck and department_head.display_name in struck
    signature = body.split('class="signature-head"')[1].split("</dd>")[0]
    assert department_head.display_name in signature
    assert 'data-live="1" data-struck="1"' in body


@pytest.mark.parametrize(
    "step, role, offered, not_offered",
    [
        ("draft", Role.ARCHIVIST, ["disposal_list_submit", "disposal_list_add", "disposal_list_opinion"], ["disposal_list_approve"]),
        ("draft", Role.DEPARTMENT_HEAD, [], ["disposal_list_submit", "disposal_list_approve"]),
        ("submitted", Role.DEPARTMENT_HEAD, ["disposal_list_approve", "disposal_list_return"], ["disposal_list_execute"]),
        ("submitted", Role.LEADERSHIP, [], ["disposal_list_approve", "disposal_list_return"]),
        ("submitted", Role.ARCHIVIST, [], ["disposal_list_approve", "disposal_list_submit"]),
        ("head_approved", Role.LEADERSHIP, ["disposal_list_approve", "disposal_list_return"], []),
        ("head_approved", Role.DEPARTMENT_HEAD, [], ["disposal_list_approve"]),
        ("head_approved", Role.ARCHIVIST, [], ["disposal_list_execute"]),
    ],
)
def test_the_page_offers_what_the_viewer_may_do_now(
    client, role_users, archivist, department_head, filed_record, step, role, offered, not_offered
):
    records = [due_record(filed_record)]
    disposal_list = {
        "draft": lambda: draft(archivist, records),
        "submitted": lambda: submitted(archivist, records),
        "head_approved": lambda: head_approved(archivist, department_head, records),
    }[step]()
    actions = actions_of(signed_in(client, role_users[role]).get(url("disposal_list_detail", disposal_list)))
    for name in offered:
        assert url(name, disposal_list) in actions, name
    for name in not_offered:
        assert url(name, disposal_list) not in actions, name


# --- opinion, submit, return --------------------------------------------------------------------------


def test_the_drafter_writes_the_opinion(client, archivist):
    disposal_list = draft(archivist, [])
    response = signed_in(client, archivist).post(url("disposal_list_opinion", disposal_list), {"opinion": "经鉴定，以下档案已无保存价值。"})
    assert response.status_code == 302
    assert fresh(disposal_list).opinion == "经鉴定，以下档案已无保存价值。"


def test_someone_else_cannot_write_the_opinion(client, archivist, department_head):
    disposal_list = draft(archivist, [])
    before = state()
    response = signed_in(client, department_head).post(url("disposal_list_opinion", disposal_list), {"opinion": "篡改"})
    assert response.status_code == 302
    assert shown_messages(client, response) == [
        "Only the drafter changes a list, and only while it is a draft or returned."
    ]
    assert state() == before


def test_the_drafter_submits_and_the_head_is_told(client, archivist, department_head, filed_record):
    disposal_list = draft(archivist, [due_record(filed_record)])
    response = signed_in(client, archivist).post(url("disposal_list_submit", disposal_list), {"state": "draft"})
    assert fresh(disposal_list).state == ListState.SUBMITTED
    assert shown_messages(client, response) == [f"List {disposal_list.number} was sent to the department head."]
    assert department_head.notices.filter(text__contains=disposal_list.number).exists()


def test_an_empty_list_is_not_submitted(client, archivist):
    disposal_list = draft(archivist, [])
    before = state()
    response = signed_in(client, archivist).post(url("disposal_list_submit", disposal_list), {"state": "draft"})
    assert shown_messages(client, response) == [
        f"List {disposal_list.number} has no items: add records before submitting it."
    ]
    assert state() == before


def test_only_the_drafter_submits(client, archivist, department_head, filed_record):
    disposal_list = draft(archivist, [due_record(filed_record)])
    before = state()
    response = signed_in(client, department_head).post(url("disposal_list_submit", disposal_list), {"state": "draft"})
    assert "Only the drafter submits a list" in shown_messages(client, response)[0]
    assert state() == before


@pytest.mark.parametrize("role", [Role.STAFF, Role.OUTSIDE_STAFF, Role.SYSADMIN])
def test_those_who_do_not_read_lists_are_refused_every_action(client, role_users, archivist, filed_record, role):
    disposal_list = submitted(archivist, [due_record(filed_record)])
    item = disposal_list.items.get()
    signed_in(client, role_users[role])
    before = state()
    posts = [
        (url("disposal_list_submit", disposal_list), {"state": "submitted"}),
        (url("disposal_list_return", disposal_list), {"reason": "x", "state": "submitted"}),
        (url("disposal_list_approve", disposal_list), {"state": "submitted"}),
        (url("disposal_list_execute", disposal_list), {"state": "submitted"}),
        (url("disposal_list_opinion", disposal_list), {"opinion": "x"}),
        (url("disposal_list_add", disposal_list), {"archive_numbers": "x"}),
        (url("disposal_destruction_record", disposal_list), {"place": "x"}),
        (reverse("disposal_item_strike", args=[item.pk]), {"reason": "x"}),
        (reverse("disposal_item_edit", args=[item.pk]), {"action": "destroy"}),
    ]
    for target, data in posts:
        assert client.post(target, data).status_code == 403, target
        assert client.get(target).status_code in (403, 405), target
    assert state() == before


def test_the_head_returns_a_list_with_the_reason_the_drafter_reads(client, archivist, department_head, filed_record):
    disposal_list = submitted(archivist, [due_record(filed_record)])
    signed_in(client, department_head)
    assert client.get(url("disposal_list_return", disposal_list)).status_code == 200
    response = client.post(url("disposal_list_return", disposal_list), {"reason": "请补充鉴定意见", "state": "submitted"})
    disposal_list = fresh(disposal_list)
    assert (response.status_code, disposal_list.state, disposal_list.return_reason) == (302, ListState.RETURNED, "请补充鉴定意见")
    assert archivist.notices.filter(text__contains="请补充鉴定意见").exists()
    body = text_of(signed_in(client, archivist).get(url("disposal_list_detail", disposal_list)))
    assert "请补充鉴定意见" in body.split('class="notice notice--returned"')[1]


def test_a_return_without_a_reason_is_refused_on_the_form(client, archivist, department_head, filed_record):
    disposal_list = submitted(archivist, [due_record(filed_record)])
    before = state()
    response = signed_in(client, department_head).post(url("disposal_list_return", disposal_list), {"reason": "", "state": "submitted"})
    assert response.status_code == 200 and "Reason for return: say what the drafter should change." in text_of(response)
    assert state() == before


def test_a_list_returned_meanwhile_is_not_returned_twice(client, archivist, department_head, leadership, filed_record):
    disposal_list = submitted(archivist, [due_record(filed_record)])
    services.list_return(disposal_list=disposal_list, by=department_head, reason="先退回")
    before = state()
    response = signed_in(client, department_head).post(
        url("disposal_list_return", disposal_list), {"reason": "再退回", "state": "submitted"}
    )
    assert response.status_code == 200 and "changed while you were looking at it" in text_of(response)
    assert state() == before


def test_the_return_page_is_not_offered_when_the_list_does_not_wait_for_you(client, archivist, leadership, filed_record):
    disposal_list = submitted(archivist, [due_record(filed_record)])
    response = signed_in(client, leadership).get(url("disposal_list_return", disposal_list))
    assert response["Location"] == url("disposal_list_detail", disposal_list)
    assert shown_messages(client, response) == ["This list is not waiting for you: you cannot return it now."]


def test_a_list_page_runs_the_same_queries_with_10_and_1000_items(client, archivist, filed_record):
    from disposal.models import ListItem
    from records.models import Record
    from tests.disposal.test_views_appraisal import _due_in_bulk
    from tests.query_counts import queries_for

    disposal_list = draft(archivist, [due_record(filed_record)])
    now = timezone.now()

    def add(count):
        listed = set(disposal_list.items.values_list("record_id", flat=True))
        _due_in_bulk(count, archivist)
        fresh_records = Record.objects.exclude(pk__in=listed).filter(archive_number__startswith="BULK-")
        ListItem.objects.bulk_create(
            ListItem(disposal_list=disposal_list, record=record, action="destroy", listed_status=record.status,
                     listed_record_updated_at=record.updated_at, listed_at=now)
            for record in fresh_records[:count]
        )

    add(9)
    signed_in(client, archivist)
    page = url("disposal_list_detail", disposal_list)
    queries_for(client, page)
    small = queries_for(client, page)
    add(990)
    assert 'data-live="1000"' in text_of(client.get(page))
    assert queries_for(client, page) == small
