"""The records back office: visibility (R-LEND-4), state changes only
through services (R-FILE-3, R-FILE-5), no deletion, history with the user."""
import datetime

import pytest
from django.contrib import admin, messages
from django.test import RequestFactory
from django.utils import timezone
from django.utils.text import capfirst

from accounts.roles import Role
from records.models import (
    AccessGrant,
    ArchiveSequence,
    Attachment,
    Category,
    Location,
    Policy,
    Record,
    RecordStatus,
    SecurityLevel,
)
from records.resources import RecordResource
from tests.admin_support import admin_url, export_xlsx, form_data, messages_of, staff_user_with_perms
from tests.factories import RecordFactory

C = SecurityLevel.CONFIDENTIAL


@pytest.fixture
def reader(db):
    """Back-office user who may view records but not confidential ones."""
    return staff_user_with_perms(
        "reader", "records.view_record", "records.view_attachment", "records.view_accessgrant"
    )


# --- who may open what ------------------------------------------------------


@pytest.mark.parametrize(
    "model, role, expected",
    [
        (Record, Role.ARCHIVIST, 200),
        (Record, Role.DEPARTMENT_HEAD, 200),
        (Record, Role.SYSADMIN, 403),
        (Category, Role.DEPARTMENT_HEAD, 200),
        (Category, Role.ARCHIVIST, 200),
        (Category, Role.SYSADMIN, 403),
        (Attachment, Role.ARCHIVIST, 200),
        (Attachment, Role.SYSADMIN, 403),
        (AccessGrant, Role.DEPARTMENT_HEAD, 200),
        (AccessGrant, Role.SYSADMIN, 403),
    ],
)
def test_records_changelists_by_role(client, role_users, filed_record, model, role, expected):
    record = filed_record(title="华东区代理商协议")
    if model is AccessGrant:
        AccessGrant.objects.create(
            user=role_users[Role.STAFF], record=record, ends_at=timezone.now() + datetime.timedelta(days=1),
            reason="合同核对", granted_by=role_users[Role.DEPARTMENT_HEAD],
        )
    if model is Attachment:
        Attachment.objects.create(
            record=record, original_name="扫描件.pdf", size=1, content_type="application/pdf", sha256="c" * 64,
            uploaded_by=role_users[Role.ARCHIVIST],
        )
    client.force_login(role_users[role])
    response = client.get(admin_url(model))
    assert response.status_code == expected
    if expected == 200:
        assert response.context["cl"].result_count == model.objects.count() > 0
    else:
        assert "cl" not in (response.context or {})
        assert record.title not in response.content.decode()


@pytest.mark.parametrize("model", [Record, Category, Policy, Attachment, AccessGrant])
def test_staff_without_back_office_access_is_sent_to_admin_login(client, staff, model):
    client.force_login(staff)
    response = client.get(admin_url(model))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_location_and_sequence_changelists(client, archivist, filed_record):
    filed_record()
    client.force_login(archivist)
    assert client.get(admin_url(Location)).status_code == 200
    sequence_url = admin_url(ArchiveSequence)
    # No role holds view_archivesequence: the archivist is refused, a superuser sees it.
    assert client.get(sequence_url).status_code == 403
    superuser = staff_user_with_perms("root", is_superuser=True)
    client.force_login(superuser)
    response = client.get(sequence_url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert not response.context["has_add_permission"]


# --- nothing is deleted -----------------------------------------------------


@pytest.mark.parametrize("role", [Role.ARCHIVIST, Role.DEPARTMENT_HEAD])
def test_delete_url_is_forbidden(client, role_users, role, filed_record):
    record = filed_record()
    client.force_login(role_users[role])
    for model, pk in [(Record, record.pk), (Category, record.category_id)]:
        assert client.get(admin_url(model, "delete", pk)).status_code == 403
        assert client.post(admin_url(model, "delete", pk), {"post": "yes"}).status_code == 403
    assert Record.objects.filter(pk=record.pk).exists()


def test_delete_selected_is_not_offered_even_to_a_superuser(db):
    superuser = staff_user_with_perms("root", is_superuser=True)
    request = RequestFactory().get("/admin/")
    request.user = superuser
    for model, model_admin in admin.site._registry.items():
        assert "delete_selected" not in model_admin.get_actions(request), model
        assert not model_admin.has_delete_permission(request), model


# --- visibility (R-LEND-4) --------------------------------------------------


def test_r_lend_4_confidential_record_not_in_changelist_without_view_confidential(
    client, reader, archivist, filed_record
):
    visible = filed_record(title="公开的代理商协议")
    secret = filed_record(title="机密的代理商协议", security_level=C)
    client.force_login(reader)
    response = client.get(admin_url(Record))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [visible]
    assert response.context["cl"].full_result_count == 1
    assert "机密的代理商协议" not in response.content.decode()
    # Nor through the search box, the change page or the history pages.
    assert client.get(admin_url(Record), {"q": "机密"}).context["cl"].result_count == 0
    assert client.get(admin_url(Record, "change", secret.pk)).status_code == 302
    assert client.get(admin_url(Record, "history", secret.pk)).status_code == 404
    history_id = secret.history.earliest().history_id
    assert client.get(admin_url(Record, "simple_history", secret.pk, history_id)).status_code == 404

    client.force_login(archivist)
    assert client.get(admin_url(Record)).context["cl"].result_count == 2


def test_r_lend_4_record_autocomplete_hides_confidential_titles(client, reader, filed_record):
    filed_record(title="公开的代理商协议")
    filed_record(title="机密的代理商协议", security_level=C)
    client.force_login(reader)
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "records", "model_name": "accessgrant", "field_name": "record", "term": "代理商"},
    )
    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == [
        str(Record.objects.get(title="公开的代理商协议"))
    ]


def test_r_lend_4_attachments_and_grants_of_confidential_records_are_hidden(
    client, reader, department_head, filed_record
):
    public, secret = filed_record(), filed_record(security_level=C)
    for record in (public, secret):
        Attachment.objects.create(
            record=record,
            file=f"{record.pk}/stored",
            original_name=f"{record.title}.pdf",
            size=10,
            content_type="application/pdf",
            sha256="0" * 64,
            uploaded_by=department_head,
        )
        AccessGrant.objects.create(
            user=department_head,
            record=record,
            ends_at=timezone.now() + datetime.timedelta(days=1),
            reason="核对",
            granted_by=department_head,
        )
    client.force_login(reader)
    attachments = client.get(admin_url(Attachment)).context["cl"].result_list
    assert [a.record for a in attachments] == [public]
    grants = client.get(admin_url(AccessGrant)).context["cl"].result_list
    assert [g.record for g in grants] == [public]


def test_r_lend_4_record_export_contains_visible_records_only(client, reader, archivist, filed_record):
    visible = filed_record(title="公开的代理商协议")
    filed_record(title="机密的代理商协议", security_level=C)
    client.force_login(reader)
    rows = export_xlsx(client, Record)
    headers = rows[0]
    assert headers == RecordResource().get_export_headers()
    assert str(Record._meta.get_field("archive_number").verbose_name) in headers
    title_column = headers.index(str(Record._meta.get_field("title").verbose_name))
    assert [row[title_column] for row in rows[1:]] == [visible.title]
    assert visible.archive_number in rows[1]

    client.force_login(archivist)
    titles = {row[title_column] for row in export_xlsx(client, Record)[1:]}
    assert titles == {"公开的代理商协议", "机密的代理商协议"}


def test_r_lend_4_record_resource_filters_any_queryset_it_is_given(reader, archivist, filed_record):
    visible = filed_record()
    filed_record(security_level=C)
    dataset = RecordResource(user=reader).export(queryset=Record.objects.all())
    assert [row[0] for row in dataset] == [visible.archive_number]
    assert len(RecordResource(user=archivist).export(queryset=Record.objects.all())) == 2
    assert len(RecordResource().export()) == 0  # no user, no rows


def test_record_import_is_offered_to_the_archivist(client, archivist):
    # Issue 5 turned the catalogue import on (tests/records/test_import_catalogue.py).
    client.force_login(archivist)
    assert client.get(admin_url(Record)).context.get("has_import_permission") is True
    assert client.get("/admin/records/record/import/").status_code == 200


# --- filing through the service (R-FILE-3, R-FILE-5) ------------------------


def test_r_file_5_file_selected_action_files_and_reports_refusals(client, archivist, filed_record):
    submitted = RecordFactory(title="待归档的协议")
    already_filed = filed_record()
    client.force_login(archivist)
    response = client.post(
        admin_url(Record),
        {"action": "file_selected", "_selected_action": [submitted.pk, already_filed.pk]},
        follow=True,
    )
    assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.status == RecordStatus.FILED
    assert submitted.archive_number
    assert submitted.filed_by == archivist
    latest = submitted.history.latest()
    assert latest.history_user == archivist
    assert latest.status == RecordStatus.FILED
    shown = messages_of(response)
    assert [level for level, _text in shown] == [messages.WARNING, messages.SUCCESS]
    assert str(already_filed) in shown[0][1]
    assert submitted.archive_number in shown[1][1]
    already_filed.refresh_from_db()
    assert already_filed.history.count() == 2  # created, filed: nothing new


def test_file_selected_needs_file_record_permission(client, department_head):
    record = RecordFactory()
    client.force_login(department_head)
    response = client.get(admin_url(Record))
    # No action is left for the head, so the action bar is not drawn at all.
    assert response.context["action_form"] is None
    client.post(admin_url(Record), {"action": "file_selected", "_selected_action": [record.pk]})
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED


def test_admin_edit_records_history_with_admin_user_and_keeps_state_fields(client, archivist, db):
    record = RecordFactory(title="旧题名", status=RecordStatus.SUBMITTED)
    client.force_login(archivist)
    url = admin_url(Record, "change", record.pk)
    page = client.get(url)
    data = form_data(page, title="新题名", status=RecordStatus.VOID, archive_number="X-1")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    record.refresh_from_db()
    assert record.title == "新题名"
    # State and numbering fields are not editable here (R-FILE-5).
    assert record.status == RecordStatus.SUBMITTED
    assert record.archive_number is None
    latest = record.history.latest()
    assert latest.history_user == archivist
    assert latest.title == "新题名"


def test_r_file_3_filed_record_is_read_only_in_the_admin(client, archivist, filed_record):
    """Nobody writes on a filed original: corrections need a reason, on the record page."""
    record = filed_record(title="旧题名")
    client.force_login(archivist)
    url = admin_url(Record, "change", record.pk)
    page = client.get(url)
    assert "title" not in page.context["adminform"].form.fields
    client.post(url, form_data(page, title="新题名", category=str(Category.objects.get(code="HTZZ").pk)))
    record.refresh_from_db()
    assert record.title == "旧题名" and record.category.code == "HTDL"

    history = client.get(admin_url(Record, "history", record.pk))
    assert history.status_code == 200
    assert str(archivist) in history.content.decode()


def test_history_version_page_refuses_post(client, archivist, filed_record):
    record = filed_record()
    first = record.history.earliest()
    client.force_login(archivist)
    url = admin_url(Record, "simple_history", record.pk, first.history_id)
    assert client.get(url).status_code == 200
    assert client.post(url, {"title": "回滚"}).status_code == 405
    record.refresh_from_db()
    assert record.status == RecordStatus.FILED


def test_admin_can_add_a_draft_record(client, archivist):
    client.force_login(archivist)
    page = client.get(admin_url(Record, "add"))
    data = form_data(
        page,
        title="新收到的宣传册",
        category=str(Category.objects.get(code="XCCS").pk),
        year="2024",
        security_level=SecurityLevel.PUBLIC,
        medium="paper",
        copies="1",
        pages="12",
    )
    response = client.post(admin_url(Record, "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    record = Record.objects.get(title="新收到的宣传册")
    assert record.status == RecordStatus.DRAFT
    assert record.archive_number is None
    assert record.history.get().history_user == archivist


# --- attachments and grants -------------------------------------------------


def test_attachment_admin_is_view_only(client, archivist, filed_record):
    record = filed_record()
    attachment = Attachment.objects.create(
        record=record,
        file=f"{record.pk}/stored",
        original_name="协议扫描件.pdf",
        size=2048,
        content_type="application/pdf",
        sha256="a" * 64,
        uploaded_by=archivist,
    )
    client.force_login(archivist)
    assert client.get(admin_url(Attachment, "add")).status_code == 403
    page = client.get(admin_url(Attachment, "change", attachment.pk))
    assert page.status_code == 200
    assert page.context["adminform"].form.fields == {}
    assert "a" * 64 in page.content.decode()
    client.post(admin_url(Attachment, "change", attachment.pk), {"sha256": "b" * 64, "size": "1"})
    attachment.refresh_from_db()
    assert attachment.sha256 == "a" * 64 and attachment.size == 2048


def test_r_lend_4_access_grant_added_in_admin_records_the_granting_head(
    client, department_head, staff, filed_record
):
    secret = filed_record(security_level=C)
    client.force_login(department_head)
    page = client.get(admin_url(AccessGrant, "add"))
    start = timezone.localtime()
    data = form_data(
        page,
        user=str(staff.pk),
        record=str(secret.pk),
        starts_at_0=start.strftime("%Y-%m-%d"),
        starts_at_1=start.strftime("%H:%M:%S"),
        ends_at_0=(start + datetime.timedelta(days=2)).strftime("%Y-%m-%d"),
        ends_at_1=start.strftime("%H:%M:%S"),
        reason="合同核对",
    )
    response = client.post(admin_url(AccessGrant, "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    grant = AccessGrant.objects.get()
    assert grant.granted_by == department_head
    assert grant.history.get().history_user == department_head


def test_export_form_lists_columns_by_their_headers(client, archivist):
    client.force_login(archivist)
    form = client.get(admin_url(Record, "export")).context["form"]
    labels = [str(field.label) for field in form.fields.values() if getattr(field, "is_selectable_field", False)]
    assert labels == [capfirst(header) for header in RecordResource().get_export_headers()]
