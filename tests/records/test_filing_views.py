"""The filing desk's pages (records.views.filing) and the record page's
actions: who gets 200, 403 or 404, anonymous users are sent to log in,
actions refuse the wrong method, and each page does what it says.

Requests ask for English (the language cookie) where a test reads a message."""
import io
import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from accounts.roles import Role
from records import policies
from records.history import ChangeReason
from records.models import Attachment, Handover, Record, RecordStatus, SecurityLevel
from records.services import handover_receive, record_create, record_return
from tests.conftest import make_user, speak_english
from tests.factories import category
from tests.records.test_filing_services import make_box, snapshot, submission_data, submitted

S, A, H, L, O, SYS = (
    Role.STAFF,
    Role.ARCHIVIST,
    Role.DEPARTMENT_HEAD,
    Role.LEADERSHIP,
    Role.OUTSIDE_STAFF,
    Role.SYSADMIN,
)
ALL_ROLES = [S, A, H, L, O, SYS]


def as_user(client, user):
    client.force_login(user)
    speak_english(client)
    return client


def messages_of(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


def form_post(**overrides):
    """The submission form as a browser posts it."""
    data = {
        "title": "华东区展会样稿",
        "category": category("XCZH").pk,
        "document_date": "2025-05-20",
        "responsible_party": "市场部",
        "document_number": "",
        "security_level": SecurityLevel.INTERNAL,
        "retention": "",
        "medium": "paper",
        "copies": "1",
        "pages": "6",
        "keywords": "展会",
        "notes": "广州展会带回",
    }
    data.update(overrides)
    return data


@pytest.fixture
def box(db):
    return make_box()


@pytest.fixture
def handover(staff, archivist, box):
    records = [submitted(staff, title="华东区代理商协议"), submitted(staff, title="华南区代理商协议", pages=8)]
    return handover_receive(by=archivist, items=[(record, record.copies, record.pages, True, "", box) for record in records])


# --- anonymous users and wrong methods ------------------------------------------------

URLS = [
    ("submission_create", False),
    ("my_submissions", False),
    ("submission_edit", True),
    ("submission_submit", True),
    ("receiving_queue", False),
    ("handover_receive", False),
    ("record_return", True),
    ("record_correct", True),
    ("handover_detail", True),
    ("handover_pdf", True),
]


@pytest.mark.parametrize("url_name, needs_pk", URLS)
def test_anonymous_is_sent_to_login(client, db, url_name, needs_pk):
    url = reverse(url_name, args=[1] if needs_pk else [])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize(
    "url_name, method",
    [
        ("submission_submit", "get"),
        ("my_submissions", "post"),
        ("receiving_queue", "post"),
        ("handover_detail", "post"),
        ("handover_pdf", "post"),
        ("submission_create", "put"),
        ("handover_receive", "delete"),
        ("record_return", "put"),
        ("record_correct", "delete"),
    ],
)
def test_wrong_method_is_405(client, archivist, handover, url_name, method):
    record = handover.items.first().record
    needs_pk = dict(URLS)[url_name]
    pk = handover.pk if url_name.startswith("handover_") and needs_pk else record.pk
    before = snapshot()
    response = getattr(as_user(client, archivist), method)(reverse(url_name, args=[pk] if needs_pk else []))
    assert response.status_code == 405
    assert method.upper() not in response["Allow"].split(", ")
    assert snapshot() == before


# The page each view renders when the user may open it.
PAGE_TEMPLATES = {
    "submission_create": "records/filing/submission_form.html",
    "submission_edit": "records/filing/submission_form.html",
    "my_submissions": "records/filing/my_submissions.html",
    "receiving_queue": "records/filing/receiving_queue.html",
    "handover_detail": "records/filing/handover_detail.html",
    "record_return": "records/filing/record_return.html",
    "record_correct": "records/filing/record_correct.html",
}


def assert_page(response, status, url_name, *texts):
    """An allowed user gets the page and sees `texts`; a refused one gets
    neither the page nor any of the texts (403 or 404)."""
    assert response.status_code == status
    shown = status == 200
    assert (PAGE_TEMPLATES[url_name] in [template.name for template in response.templates]) is shown
    body = response.content.decode()
    for text in texts:
        assert (text in body) is shown, text


def pdf_text_or_none(response):
    if response.get("Content-Type") != "application/pdf":
        return None
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


# --- who may open which page ---------------------------------------------------------------


@pytest.mark.parametrize("role, status", [(S, 200), (A, 200), (H, 403), (L, 403), (O, 403), (SYS, 403)])
@pytest.mark.parametrize("url_name", ["submission_create", "my_submissions"])
def test_r_file_2_submission_pages_are_for_archive_department_staff(client, role_users, url_name, role, status):
    response = as_user(client, role_users[role]).get(reverse(url_name))
    assert_page(response, status, url_name)
    if url_name == "submission_create":
        assert ('name="title"' in response.content.decode()) is (status == 200)


@pytest.mark.parametrize("role, status", [(A, 200), (S, 403), (H, 403), (L, 403), (O, 403), (SYS, 403)])
def test_r_file_3_receiving_queue_is_for_the_archivist(client, role_users, role, status):
    submitted(role_users[S], title="待接收的展会样稿", security_level=SecurityLevel.PUBLIC)
    response = as_user(client, role_users[role]).get(reverse("receiving_queue"))
    assert_page(response, status, "receiving_queue", "待接收的展会样稿")


@pytest.mark.parametrize("role, status", [(A, 200), (H, 200), (S, 200), (L, 404), (O, 404), (SYS, 404)])
@pytest.mark.parametrize("url_name", ["handover_detail", "handover_pdf"])
def test_r_file_3_handover_list_for_the_two_sides_and_the_head_only(client, role_users, handover, url_name, role, status):
    # The staff fixture is the person who handed the items over.
    response = as_user(client, role_users[role]).get(reverse(url_name, args=[handover.pk]))
    if url_name == "handover_pdf":
        assert response.status_code == status
        text = pdf_text_or_none(response)
        assert (text is not None and handover.number in text and "华南区代理商协议" in text) is (status == 200)
        if text is None:
            assert handover.number not in response.content.decode()
    else:
        assert_page(response, status, url_name, handover.number, "华东区代理商协议", "华南区代理商协议")


def test_r_file_3_another_staff_member_cannot_print_someone_elses_handover(client, handover):
    colleague = make_user(Role.STAFF, "colleague")
    response = as_user(client, colleague).get(reverse("handover_pdf", args=[handover.pk]))
    assert response.status_code == 404
    assert pdf_text_or_none(response) is None
    assert handover.number not in response.content.decode()


def test_r_file_2_edit_page_by_who_looks(client, staff, archivist):
    record = record_create(by=staff, data=submission_data()).record
    colleague = make_user(Role.STAFF, "colleague")
    url = reverse("submission_edit", args=[record.pk])
    assert_page(as_user(client, staff).get(url), 200, "submission_edit", record.title)
    assert_page(as_user(client, archivist).get(url), 403, "submission_edit", record.title)  # sees it, may not edit it
    assert_page(as_user(client, colleague).get(url), 404, "submission_edit", record.title)  # the submitter's own


@pytest.mark.parametrize(
    "role, correct_status, return_status",
    [
        (A, 200, 200),
        (S, 403, 403),  # the submitter sees the waiting item, may not return it
        (H, 403, 404),  # the head does not see items before filing
    ],
)
def test_r_file_3_return_and_correct_pages_are_for_the_archivist(
    client, role_users, handover, role, correct_status, return_status
):
    filed = handover.items.first().record
    waiting = submitted(role_users[S], title="待退回的展会样稿", security_level=SecurityLevel.PUBLIC)
    user = as_user(client, role_users[role])
    response = user.get(reverse("record_correct", args=[filed.pk]))
    assert_page(response, correct_status, "record_correct", 'name="reason"')
    response = user.get(reverse("record_return", args=[waiting.pk]))
    assert_page(response, return_status, "record_return", 'name="reason"')
    if return_status == 404:
        assert waiting.title not in response.content.decode()


# --- submitting (R-FILE-2) ------------------------------------------------------------------


def test_r_file_2_save_as_draft_then_submit_from_my_submissions(client, staff):
    user = as_user(client, staff)
    response = user.post(reverse("submission_create"), form_post(save="1"))
    assert response.status_code == 302 and response.url == reverse("my_submissions")
    record = Record.objects.get(title="华东区展会样稿")
    assert record.status == RecordStatus.DRAFT and record.submitted_by == staff
    assert record.retention_years == category("XCZH").default_retention_years
    assert record.year == 2025 and record.notes == "广州展会带回"

    page = user.get(reverse("my_submissions")).content.decode()
    assert "华东区展会样稿" in page and reverse("submission_edit", args=[record.pk]) in page

    response = user.post(reverse("submission_submit", args=[record.pk]))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED


def test_r_file_2_submit_with_several_files(client, staff, private_storage):
    files = [
        SimpleUploadedFile("会议纪要.txt", "广州展会会议纪要".encode(), content_type="text/plain"),
        SimpleUploadedFile("名单.csv", "姓名,公司\n张三,华东代理\n".encode(), content_type="text/csv"),
    ]
    response = as_user(client, staff).post(reverse("submission_create"), form_post(submit="1", files=files))
    assert response.status_code == 302
    record = Record.objects.get(title="华东区展会样稿")
    assert record.status == RecordStatus.SUBMITTED
    assert sorted(record.attachments.values_list("original_name", flat=True)) == ["会议纪要.txt", "名单.csv"]


def test_r_file_2_a_refused_file_keeps_the_others_with_a_draft_and_submits_nothing(client, staff, private_storage):
    """The user does not choose the good files again: they stay with the
    item, kept as a draft, and the refused file is named with its reason."""
    files = [
        SimpleUploadedFile("会议纪要.txt", "广州展会会议纪要".encode(), content_type="text/plain"),
        SimpleUploadedFile("tool.exe", b"MZ\x90\x00\x03" + b"\x00" * 200, content_type="application/octet-stream"),
    ]
    response = as_user(client, staff).post(reverse("submission_create"), form_post(submit="1", files=files))
    record = Record.objects.get(title="华东区展会样稿")
    assert response.status_code == 302 and response.url == reverse("submission_edit", args=[record.pk])
    assert record.status == RecordStatus.DRAFT
    assert list(record.attachments.values_list("original_name", flat=True)) == ["会议纪要.txt"]
    assert [path.name for path in private_storage.rglob("*") if path.is_file() and "exe" in path.name] == []
    notes = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("tool.exe" in message and "refused" in message for message in notes)
    assert any("not submitted" in message for message in notes)


def test_r_file_2_an_identical_file_is_flagged(client, staff, private_storage):
    content = "同一份扫描件".encode()
    user = as_user(client, staff)
    user.post(reverse("submission_create"), form_post(files=[SimpleUploadedFile("a.txt", content)]))
    response = user.post(
        reverse("submission_create"), form_post(title="第二件", files=[SimpleUploadedFile("b.txt", content)]), follow=True
    )
    assert any("b.txt" in message and "identical" in message for message in messages_of(response))


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"title": ""}, "title"),
        ({"copies": "0"}, "copies"),
        ({"pages": "-1"}, "pages"),
        ({"document_date": "2025-13-01"}, "document_date"),
        ({"category": "HT"}, "category"),  # a parent class only groups its sub-classes
    ],
)
def test_r_file_2_an_invalid_submission_names_the_field_and_saves_nothing(client, staff, overrides, field):
    if "category" in overrides:
        overrides = {"category": category(overrides["category"]).pk}
    before = snapshot()
    response = as_user(client, staff).post(reverse("submission_create"), form_post(submit="1", **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert snapshot() == before


def test_r_file_2_returned_item_shows_the_reason_and_can_be_resubmitted(client, staff, archivist):
    record = submitted(staff, title="华东区代理商协议")
    record_return(record=record, by=archivist, reason="缺少盖章页")
    user = as_user(client, staff)
    assert "缺少盖章页" in user.get(reverse("my_submissions")).content.decode()
    edit_page = user.get(reverse("submission_edit", args=[record.pk])).content.decode()
    assert "缺少盖章页" in edit_page
    response = user.post(reverse("submission_edit", args=[record.pk]), form_post(title="华东区代理商协议", pages="13", submit="1"))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED and record.pages == 13


def test_r_file_2_a_submitted_item_cannot_be_edited_by_post_either(client, staff):
    record = submitted(staff)
    before = snapshot()
    response = as_user(client, staff).post(reverse("submission_edit", args=[record.pk]), form_post(submit="1"))
    assert response.status_code == 403
    assert snapshot() == before


# --- receiving (R-FILE-3) --------------------------------------------------------------------


def test_r_file_3_queue_groups_by_submitter_oldest_first(client, staff, archivist):
    colleague = make_user(Role.STAFF, "colleague")
    colleague.full_name = "李四"
    colleague.save()
    first = submitted(colleague, title="最早的会议记录")
    submitted(staff, title="之后的协议")
    submitted(colleague, title="再后的会议记录")
    response = as_user(client, archivist).get(reverse("receiving_queue"))
    groups = response.context["groups"]
    assert [group["submitter"] for group in groups] == [colleague, staff]
    assert [record.title for record in groups[0]["records"]] == ["最早的会议记录", "再后的会议记录"]
    html = response.content.decode()
    assert html.index("最早的会议记录") < html.index("之后的协议")
    assert reverse("record_return", args=[first.pk]) in html


def test_r_file_3_receive_page_refuses_items_of_two_submitters(client, staff, archivist):
    colleague = make_user(Role.STAFF, "colleague")
    items = [submitted(staff), submitted(colleague)]
    url = reverse("handover_receive") + "?" + "&".join(f"records={record.pk}" for record in items)
    response = as_user(client, archivist).get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("receiving_queue")
    assert any("one person only" in message for message in messages_of(response))


def _receive_post(records, box, *, confirm=False, **per_item):
    data = {
        "form-TOTAL_FORMS": str(len(records)),
        "form-INITIAL_FORMS": str(len(records)),
        "form-MIN_NUM_FORMS": "1",
        "form-MAX_NUM_FORMS": "200",
        "notes": "",
    }
    for index, record in enumerate(records):
        data.update(
            {
                f"form-{index}-record": str(record.pk),
                f"form-{index}-copies_received": str(per_item.get("copies", record.copies)),
                f"form-{index}-pages_received": str(per_item.get("pages", record.pages)),
                f"form-{index}-format_ok": "on",
                f"form-{index}-location": str(box.pk) if box else "",
                f"form-{index}-remarks": "",
            }
        )
    if confirm:
        data["confirm"] = "1"
    return data


def test_r_file_3_receive_needs_the_confirmation_step(client, staff, archivist, box):
    records = [submitted(staff, title="甲"), submitted(staff, title="乙")]
    user = as_user(client, archivist)
    url = reverse("handover_receive")
    page = user.get(url + "?" + "&".join(f"records={record.pk}" for record in records))
    assert page.status_code == 200
    assert [form.initial["record"] for form in page.context["formset"].forms] == [record.pk for record in records]

    before = snapshot()
    review = user.post(url, _receive_post(records, box))
    assert review.status_code == 200
    assert "records/filing/handover_confirm.html" in [template.name for template in review.templates]
    assert "cannot be undone" in review.content.decode()
    assert snapshot() == before  # nothing filed yet

    done = user.post(url, _receive_post(records, box, confirm=True))
    handover = Handover.objects.get()
    assert done.status_code == 302 and done.url == reverse("handover_detail", args=[handover.pk])
    for record in records:
        record.refresh_from_db()
        assert record.status == RecordStatus.FILED and record.location == box and record.archive_number
    detail = user.get(done.url).content.decode()
    for record in records:
        assert record.archive_number in detail
    assert reverse("handover_pdf", args=[handover.pk]) in detail


def test_r_file_3_receive_form_names_the_missing_box(client, staff, archivist):
    record = submitted(staff)
    response = as_user(client, archivist).post(reverse("handover_receive"), _receive_post([record], None, confirm=True))
    assert response.status_code == 200
    assert "location" in response.context["formset"].forms[0].errors
    assert not Handover.objects.exists()


def test_r_file_3_an_item_returned_meanwhile_is_not_received(client, staff, archivist, box):
    record = submitted(staff)
    data = _receive_post([record], box, confirm=True)
    record_return(record=record, by=archivist, reason="退回")
    response = as_user(client, archivist).post(reverse("handover_receive"), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("receiving_queue")
    assert not Handover.objects.exists()


def test_r_file_3_return_needs_a_reason_then_the_submitter_sees_it(client, staff, archivist):
    record = submitted(staff)
    user = as_user(client, archivist)
    url = reverse("record_return", args=[record.pk])
    before = snapshot()
    response = user.post(url, {"reason": "  "})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert snapshot() == before
    response = user.post(url, {"reason": "份数与清单不符"})
    assert response.status_code == 302 and response.url == reverse("receiving_queue")
    record.refresh_from_db()
    assert record.status == RecordStatus.RETURNED and record.return_reason == "份数与清单不符"
    page = as_user(client, staff).get(reverse("record_detail", args=[record.pk])).content.decode()
    assert "份数与清单不符" in page


# --- correcting (R-FILE-3) -------------------------------------------------------------------


def test_r_file_3_correction_page_records_a_reason(client, archivist, handover):
    record = handover.items.first().record
    response = as_user(client, archivist).get(reverse("record_correct", args=[record.pk]))
    form = response.context["form"]
    assert "category" not in form.fields and "year" not in form.fields and "retention_years" not in form.fields
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(title="华东区代理商合作协议", reason="题名与原件不符")
    response = as_user(client, archivist).post(reverse("record_correct", args=[record.pk]), data)
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.title == "华东区代理商合作协议"
    latest = record.history.first()
    assert latest.history_change_reason == "题名与原件不符" and latest.history_user == archivist


def test_r_file_3_correction_without_a_reason_changes_nothing(client, archivist, handover):
    record = handover.items.first().record
    before = snapshot()
    response = as_user(client, archivist).post(
        reverse("record_correct", args=[record.pk]),
        {"title": "改了", "security_level": record.security_level, "medium": record.medium,
         "copies": record.copies, "pages": record.pages, "location": record.location_id, "reason": ""},
    )
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert snapshot() == before


# --- the record page ---------------------------------------------------------------------------


def actions_on(client, user, record):
    html = as_user(client, user).get(reverse("record_detail", args=[record.pk])).content.decode()
    return re.findall(r'data-action="([a-z_]+)"', html), html


def test_record_page_actions_follow_the_policies(client, staff, archivist, department_head, handover):
    draft = record_create(by=staff, data=submission_data(title="草稿")).record
    waiting = submitted(staff, title="待接收")
    filed = handover.items.first().record

    assert actions_on(client, staff, draft)[0] == ["edit", "submit"]
    assert actions_on(client, staff, waiting)[0] == []
    assert actions_on(client, staff, filed)[0] == ["print_handover"]
    assert actions_on(client, archivist, waiting)[0] == ["receive", "return"]
    assert actions_on(client, archivist, filed)[0] == ["correct", "print_handover"]
    assert actions_on(client, department_head, filed)[0] == ["print_handover"]

    _, html = actions_on(client, archivist, waiting)
    assert f"{reverse('handover_receive')}?records={waiting.pk}" in html


def test_record_page_shows_custody_archive_number_and_handover(client, staff, handover):
    record = handover.items.first().record
    _, html = actions_on(client, staff, record)
    assert record.archive_number in html
    assert handover.number in html
    assert f"On the shelf at {record.location.path_label}" in html
    assert 'data-custody="shelf"' in html


@pytest.mark.parametrize("role", ALL_ROLES)
def test_navigation_offers_the_filing_desk_by_policy(client, role_users, role):
    user = role_users[role]
    html = as_user(client, user).get(reverse("home")).content.decode()
    assert (reverse("submission_create") in html) is policies.may_submit(user)
    assert (reverse("my_submissions") in html) is policies.may_submit(user)
    assert (reverse("receiving_queue") in html) is policies.may_receive(user)


def test_handover_pdf_is_a_pdf_with_the_items(client, archivist, handover):
    response = as_user(client, archivist).get(reverse("handover_pdf", args=[handover.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for item in handover.items.select_related("record"):
        assert item.record.archive_number in text


def test_history_reason_codes_are_translated_labels(client, staff):
    record = submitted(staff)
    html = as_user(client, staff).get(reverse("record_detail", args=[record.pk])).content.decode()
    assert str(ChangeReason.SUBMITTED.label) in html and str(ChangeReason.DRAFTED.label) in html
