"""The correspondence registers' screens (R-SCOPE 3–4): the archivist
registers, corrects and files; the department head reads; everyone else
is refused; bad input shows the form again with nothing saved."""
import datetime
import re

import pytest
from django.urls import reverse

from documents.models import Correspondence, Direction, Urgency
from records.models import Record, RecordStatus
from tests.conftest import speak_english
from tests.documents.support import fresh, make_correspondence
from tests.factories import DepartmentFactory, marketing_department


@pytest.fixture
def finance(db):
    return DepartmentFactory(code="CWB", name="财务部")


@pytest.fixture
def line(finance, archivist):
    return make_correspondence(
        receivers=[finance], document_date=datetime.date(2026, 4, 1), handler=archivist, registered_by=archivist
    )


def new_body(finance, handler, **overrides):
    body = {
        "direction": "out", "document_date": "2026-04-02", "title": "关于年中促销的通知",
        "sender": marketing_department().pk, "receivers": [finance.pk], "pages": "2",
        "urgency": Urgency.URGENT, "handler": handler.pk, "note": "",
    }
    body.update(overrides)
    return body


def test_r_scope_3_the_archivist_registers_an_outgoing_document(client, archivist, finance):
    client.force_login(archivist)
    response = client.post(reverse("documents_correspondence_new"), new_body(finance, archivist))
    line = Correspondence.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("documents_correspondence_detail", args=[line.pk])
    assert (line.number, line.title, line.urgency) == ("市场发〔2026〕1号", "关于年中促销的通知", Urgency.URGENT)
    page = client.get(response["Location"]).content.decode()
    assert "市场发〔2026〕1号" in page and "财务部" in page
    assert f'href="/documents/controlled/new/?correspondence={line.pk}"' in page


def test_r_scope_3_the_form_starts_from_the_direction_asked(client, archivist):
    client.force_login(archivist)
    page = client.get(reverse("documents_correspondence_new"), {"direction": "in"}).content.decode()
    assert re.search(r'<input type="radio" name="direction" value="in"[^>]*checked', page)
    assert not re.search(r'<input type="radio" name="direction" value="out"[^>]*checked', page)
    assert 'type="checkbox" name="receivers"' in page


@pytest.mark.parametrize("overrides, field", [
    ({"title": ""}, "title"),
    ({"receivers": []}, "receivers"),
    ({"pages": "0"}, "pages"),
    ({"document_date": "2026-13-40"}, "document_date"),
    ({"direction": "sideways"}, "direction"),
])
def test_r_scope_3_bad_input_shows_the_form_again_and_saves_nothing(client, archivist, finance, overrides, field):
    client.force_login(archivist)
    response = client.post(reverse("documents_correspondence_new"), new_body(finance, archivist, **overrides))
    assert response.status_code == 200 and field in response.context["form"].errors
    assert "field--error" in response.content.decode()
    assert not Correspondence.objects.exists()


def test_r_scope_3_an_inactive_handler_is_refused_on_the_form(client, archivist, finance, staff):
    staff.is_active = False
    staff.save()
    client.force_login(archivist)
    response = client.post(reverse("documents_correspondence_new"), new_body(finance, staff))
    assert "handler" in response.context["form"].errors and not Correspondence.objects.exists()


def test_r_scope_3_the_list_filters_by_direction_year_and_text(client, department_head, finance, archivist):
    make_correspondence(receivers=[finance], title="关于价格调整的通知", handler=archivist, registered_by=archivist)
    make_correspondence(direction=Direction.INCOMING, receivers=[finance], title="财务部关于报销的复函",
                        handler=archivist, registered_by=archivist)
    make_correspondence(receivers=[finance], title="旧年的通知", document_date=datetime.date(2024, 6, 1),
                        handler=archivist, registered_by=archivist)
    client.force_login(department_head)
    url = reverse("documents_correspondence")

    def titles(**query):
        return [line.title for line in client.get(url, query).context["lines"]]

    assert len(titles()) == 3
    assert titles(direction="in") == ["财务部关于报销的复函"]
    assert titles(year="2024") == ["旧年的通知"]
    assert titles(q="价格") == ["关于价格调整的通知"]
    assert titles(q="市场收") == ["财务部关于报销的复函"]
    page = client.get(url).content.decode()
    assert reverse("documents_correspondence_new") not in page  # the head reads only


def test_r_scope_3_a_correction_needs_a_reason_and_keeps_the_number(client, archivist, line, finance):
    client.force_login(archivist)
    url = reverse("documents_correspondence_edit", args=[line.pk])
    body = new_body(finance, archivist, document_date="2026-04-01", title="改过的标题", reason="")
    body.pop("direction")
    response = client.post(url, body)
    assert "reason" in response.context["form"].errors and fresh(line).title == line.title
    response = client.post(url, {**body, "reason": "标题笔误", "direction": "in", "number": "X"})
    assert response.status_code == 302
    corrected = fresh(line)
    assert (corrected.title, corrected.number, corrected.direction) == ("改过的标题", line.number, Direction.OUTGOING)
    speak_english(client)
    page = client.get(reverse("documents_correspondence_detail", args=[line.pk])).content.decode()
    assert "标题笔误" in page and "改过的标题" in page


def test_r_scope_3_a_correction_into_another_year_is_shown_on_the_form(client, archivist, line, finance):
    client.force_login(archivist)
    body = new_body(finance, archivist, document_date="2027-01-02", reason="改日期")
    response = client.post(reverse("documents_correspondence_edit", args=[line.pk]), body)
    assert "document_date" in response.context["form"].errors
    assert fresh(line).document_date == datetime.date(2026, 4, 1)


def test_r_scope_4_filing_asks_first_then_hands_the_document_in(client, archivist, line):
    client.force_login(archivist)
    url = reverse("documents_correspondence_file", args=[line.pk])
    page = client.get(url).content.decode()
    assert "WLFW" in page and 'name="action" value="file"' in page
    assert fresh(line).record is None and not Record.objects.exists()
    response = client.post(url, {"action": "file"})
    record = fresh(line).record
    assert response.status_code == 302 and record.status == RecordStatus.SUBMITTED
    assert record.category.code == "WLFW" and record.document_number == line.number
    # It waits in the archivist's receiving queue at the filing desk.
    assert record.title in client.get(reverse("receiving_queue")).content.decode()
    detail = client.get(reverse("documents_correspondence_detail", args=[line.pk])).content.decode()
    assert f'href="/records/{record.pk}/"' in detail
    again = client.get(url)
    assert again.status_code == 302 and Record.objects.count() == 1


def test_r_scope_4_linking_a_record_by_a_scanned_archive_number(client, archivist, line, filed_record):
    record = filed_record()
    client.force_login(archivist)
    url = reverse("documents_correspondence_file", args=[line.pk])
    response = client.post(url, {"action": "link", "archive_number": "NO-SUCH-1\r\n"})
    assert "archive_number" in response.context["link_form"].errors and fresh(line).record is None
    scanned = record.archive_number.replace("-", "－") + "\r"
    response = client.post(url, {"action": "link", "archive_number": scanned})
    assert response.status_code == 302 and fresh(line).record == record


def test_r_scope_3_an_incoming_line_offers_no_controlled_document(client, archivist, finance):
    incoming = make_correspondence(
        direction=Direction.INCOMING, receivers=[finance], handler=archivist, registered_by=archivist
    )
    client.force_login(archivist)
    page = client.get(reverse("documents_correspondence_detail", args=[incoming.pk])).content.decode()
    assert "/documents/controlled/new/" not in page and incoming.number in page


def test_r_ctrl_1_only_the_distributor_is_offered_to_register_an_outgoing_line_as_controlled(
    client, archivist, department_head, line
):
    url = reverse("documents_correspondence_detail", args=[line.pk])
    link = f'href="{reverse("documents_document_new")}?correspondence={line.pk}"'
    client.force_login(department_head)
    page = client.get(url).content.decode()
    assert link not in page and line.number in page
    client.force_login(archivist)
    assert link in client.get(url).content.decode()


@pytest.mark.parametrize("name, method", [
    ("documents_correspondence", "get"),
    ("documents_correspondence_detail", "get"),
    ("documents_correspondence_register", "get"),
])
def test_readers_are_the_archivist_and_the_head(client, role_users, line, name, method):
    args = [line.pk] if name.endswith("detail") else []
    for role, user in role_users.items():
        client.force_login(user)
        status = getattr(client, method)(reverse(name, args=args)).status_code
        assert status == (200 if role.value in ("archivist", "department_head") else 403), (role, status)


@pytest.mark.parametrize("name", [
    "documents_correspondence_new", "documents_correspondence_edit", "documents_correspondence_file",
])
def test_only_the_archivist_writes(client, department_head, staff, line, finance, name):
    args = [] if name.endswith("new") else [line.pk]
    for user in (department_head, staff):
        client.force_login(user)
        assert client.get(reverse(name, args=args)).status_code == 403
        response = client.post(reverse(name, args=args), {**new_body(finance, user), "reason": "x", "action": "file"})
        assert response.status_code == 403
    assert Correspondence.objects.count() == 1 and fresh(line).record is None and fresh(line).title == line.title


def test_wrong_methods_are_refused(client, archivist, line):
    client.force_login(archivist)
    assert client.post(reverse("documents_correspondence")).status_code == 405
    assert client.post(reverse("documents_correspondence_detail", args=[line.pk])).status_code == 405
    assert client.delete(reverse("documents_correspondence_file", args=[line.pk])).status_code == 405
