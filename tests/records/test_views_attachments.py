"""Upload and download views of electronic files (records.views.attachments),
the upload partial, and the access log in the back office.

Files are served only to users who may see the record (404 otherwise, never
revealing it exists), as downloads the browser neither sniffs nor renders;
downloads of confidential files are logged (R-ACCESS, R-LEND-4)."""
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from records.attachments import add_attachment, upload_form
from records.models import AccessAction, AccessLog, Attachment, RecordStatus, SecurityLevel
from tests.conftest import speak_english
from tests.admin_support import admin_url, staff_user_with_perms
from tests.factories import RecordFactory
from tests.records.test_attachments import assert_no_orphans, stored_files
from tests.records.test_filetypes import EXE, make_docx, make_image

P, I, C = SecurityLevel.PUBLIC, SecurityLevel.INTERNAL, SecurityLevel.CONFIDENTIAL


@pytest.fixture(autouse=True)
def english(client):
    """Messages are checked in their English msgids, in the test and in
    requests (the language switch's cookie)."""
    speak_english(client)
    with translation.override("en"):
        yield


def attach(record, user, content=None, name="扫描件.png"):
    content = content if content is not None else make_image("PNG")
    return add_attachment(record=record, uploaded_file=SimpleUploadedFile(name, content), by=user).attachment


def assert_nothing_added(record, storage):
    """A refused upload leaves the record without files and stores nothing."""
    assert not Attachment.objects.filter(record=record).exists()
    assert stored_files(storage) == []


def messages_of(response):
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def download_url(attachment):
    return reverse("attachment_download", args=[attachment.pk])


def upload_url(record):
    return reverse("attachment_upload", args=[record.pk])


# --- download ------------------------------------------------------------------------------------


def test_download_streams_the_file_with_safe_headers(client, staff, archivist, filed_record, private_storage):
    content = make_docx(["代理商协议正文"])
    attachment = attach(filed_record(security_level=I), archivist, content, "代理商协议.docx")
    client.force_login(staff)

    response = client.get(download_url(attachment))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E4%BB%A3%E7%90%86" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"


def test_r_access_confidential_download_is_logged(client, leadership, archivist, filed_record, private_storage):
    record = filed_record(security_level=C, title="董事会机密纪要")
    attachment = attach(record, archivist)
    client.force_login(leadership)

    response = client.get(download_url(attachment))

    assert response.status_code == 200
    entry = AccessLog.objects.get()
    assert (entry.user, entry.record, entry.attachment, entry.action) == (leadership, record, attachment, "download")
    assert entry.get_action_display() == AccessAction.DOWNLOAD.label
    client.get(download_url(attachment))
    assert AccessLog.objects.count() == 2  # every download, not only the first


@pytest.mark.parametrize("level", [P, I])
def test_r_access_other_downloads_are_not_logged(client, staff, archivist, filed_record, private_storage, level):
    attachment = attach(filed_record(security_level=level), archivist)
    client.force_login(staff)
    assert client.get(download_url(attachment)).status_code == 200
    assert AccessLog.objects.count() == 0


def test_a_head_request_is_not_a_download(client, leadership, archivist, filed_record, private_storage):
    attachment = attach(filed_record(security_level=C), archivist)
    client.force_login(leadership)
    assert client.head(download_url(attachment)).status_code == 200
    assert AccessLog.objects.count() == 0


@pytest.mark.parametrize(
    "role, level",
    [(Role.STAFF, C), (Role.OUTSIDE_STAFF, C), (Role.SYSADMIN, C), (Role.OUTSIDE_STAFF, I), (Role.SYSADMIN, I)],
)
def test_r_lend_4_download_of_a_hidden_record_is_404_and_not_logged(
    client, role_users, archivist, filed_record, private_storage, role, level
):
    attachment = attach(filed_record(security_level=level), archivist)
    client.force_login(role_users[role])
    assert client.get(download_url(attachment)).status_code == 404
    assert AccessLog.objects.count() == 0


def test_download_of_a_file_missing_from_storage_is_404_and_not_logged(
    client, leadership, archivist, filed_record, private_storage
):
    attachment = attach(filed_record(security_level=C), archivist)
    attachment.file.storage.delete(attachment.file.name)
    client.force_login(leadership)
    assert client.get(download_url(attachment)).status_code == 404
    assert AccessLog.objects.count() == 0


def test_download_needs_a_login_and_a_safe_method(client, leadership, archivist, filed_record, private_storage):
    attachment = attach(filed_record(security_level=C), archivist)
    url = download_url(attachment)
    response = client.get(url)
    assert response.status_code == 302 and response.url == f"{reverse('login')}?next={url}"
    client.force_login(leadership)
    response = client.post(url)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD" and not response.streaming
    assert AccessLog.objects.count() == 0  # nothing was served, so no download is logged


# --- upload ---------------------------------------------------------------------------------------


def test_archivist_uploads_to_a_filed_record(client, archivist, filed_record, private_storage):
    record = filed_record(security_level=C)
    client.force_login(archivist)

    scan = SimpleUploadedFile("合同扫描.docx", make_docx(["户外广告合同"]))
    response = client.post(upload_url(record), {"file": scan})

    assert response.status_code == 302
    assert response.url == reverse("record_detail", args=[record.pk])
    attachment = Attachment.objects.get()
    assert attachment.record == record and attachment.uploaded_by == archivist
    assert attachment.original_name == "合同扫描.docx"
    assert attachment.extracted_text == "户外广告合同"
    assert messages_of(response) == [("success", "1 file added: 合同扫描.docx.")]
    assert_no_orphans(private_storage)


def test_submitter_uploads_several_files_to_their_draft(client, staff, private_storage):
    draft = RecordFactory(status=RecordStatus.DRAFT, submitted_by=staff)
    client.force_login(staff)
    files = [
        SimpleUploadedFile("照片1.png", make_image("PNG")),
        SimpleUploadedFile("照片2.jpg", make_image("JPEG")),
    ]

    response = client.post(upload_url(draft), {"file": files})

    assert sorted(draft.attachments.values_list("original_name", flat=True)) == ["照片1.png", "照片2.jpg"]
    assert messages_of(response) == [("success", "2 files added: 照片1.png, 照片2.jpg.")]


def test_a_refused_file_is_named_and_nothing_is_saved(client, archivist, filed_record, private_storage):
    record = filed_record()
    client.force_login(archivist)
    files = [SimpleUploadedFile("好的.png", make_image("PNG")), SimpleUploadedFile("合同.pdf", EXE)]

    response = client.post(upload_url(record), {"file": files})

    assert response.status_code == 302
    assert response.url == reverse("record_detail", args=[record.pk])
    [(level, message)] = messages_of(response)
    assert level == "error"
    assert message.startswith("“合同.pdf” was refused: its content is a Windows program")
    assert message.endswith("None of the files was saved.")
    assert Attachment.objects.count() == 0
    assert stored_files(private_storage) == []  # the first file, stored before the refusal, is gone


def test_an_over_the_limit_file_is_refused_with_the_limit(client, settings, archivist, filed_record, private_storage):
    settings.ARCHIVE_MAX_UPLOAD_MB = 1
    record = filed_record()
    client.force_login(archivist)
    big = SimpleUploadedFile("大扫描件.tif", make_image("TIFF").ljust(1024 * 1024 + 10, b"\x00"))
    response = client.post(upload_url(record), {"file": big})
    assert messages_of(response) == [
        ("error", "“大扫描件.tif” was refused: it is larger than the limit of 1 MB.")
    ]
    assert stored_files(private_storage) == []


def test_a_duplicate_is_saved_with_a_warning(client, staff, archivist, filed_record, private_storage):
    content = make_image("PNG")
    attach(filed_record(title="董事会机密纪要", security_level=C), archivist, content)
    draft = RecordFactory(status=RecordStatus.DRAFT, submitted_by=staff)
    client.force_login(staff)

    response = client.post(upload_url(draft), {"file": SimpleUploadedFile("照片.png", content)})

    assert messages_of(response) == [
        ("success", "1 file added: 照片.png."),
        ("warning", "“照片.png”: an identical file is already in the archive."),
    ]
    assert draft.attachments.count() == 1


def test_posting_no_file_says_so(client, archivist, filed_record, private_storage):
    record = filed_record()
    client.force_login(archivist)
    response = client.post(upload_url(record), {})
    assert messages_of(response) == [("error", "Choose a file to upload.")]


def test_staff_may_not_upload_to_someone_elses_visible_record(client, staff, filed_record, private_storage):
    record = filed_record(security_level=I)
    client.force_login(staff)
    response = client.post(upload_url(record), {"file": SimpleUploadedFile("a.png", make_image("PNG"))})
    assert response.status_code == 403
    assert Attachment.objects.count() == 0


def test_staff_get_404_for_someone_elses_draft(client, staff, archivist, private_storage):
    draft = RecordFactory(status=RecordStatus.DRAFT, submitted_by=archivist)
    client.force_login(staff)
    response = client.post(upload_url(draft), {"file": SimpleUploadedFile("a.png", make_image("PNG"))})
    assert response.status_code == 404
    assert_nothing_added(draft, private_storage)


def test_r_lend_4_hidden_confidential_record_is_404(client, staff, filed_record, private_storage):
    record = filed_record(security_level=C, title="董事会机密纪要")
    client.force_login(staff)
    response = client.post(upload_url(record), {"file": SimpleUploadedFile("a.png", make_image("PNG"))})
    assert response.status_code == 404
    assert "董事会机密纪要" not in response.content.decode()
    assert_nothing_added(record, private_storage)


def test_submitted_item_is_the_archivists_now(client, staff, private_storage):
    item = RecordFactory(status=RecordStatus.SUBMITTED, submitted_by=staff)
    client.force_login(staff)
    assert client.post(upload_url(item), {"file": SimpleUploadedFile("a.png", make_image("PNG"))}).status_code == 403
    assert_nothing_added(item, private_storage)


@pytest.mark.parametrize("role", [Role.DEPARTMENT_HEAD, Role.LEADERSHIP])
def test_readers_of_confidential_records_may_not_upload(client, role_users, filed_record, private_storage, role):
    record = filed_record(security_level=C)
    client.force_login(role_users[role])
    assert client.post(upload_url(record), {"file": SimpleUploadedFile("a.png", make_image("PNG"))}).status_code == 403
    assert_nothing_added(record, private_storage)


def test_r_disp_destroyed_record_takes_no_upload(client, archivist, filed_record, private_storage):
    record = filed_record()
    record.status = RecordStatus.DESTROYED
    record.save()
    client.force_login(archivist)
    assert client.post(upload_url(record), {"file": SimpleUploadedFile("a.png", make_image("PNG"))}).status_code == 403
    assert_nothing_added(record, private_storage)
    record.refresh_from_db()
    assert record.status == RecordStatus.DESTROYED


def test_upload_anonymous_is_sent_to_login(client, filed_record, private_storage):
    url = upload_url(filed_record())
    response = client.post(url, {})
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("method", ["get", "head", "put", "delete"])
def test_upload_is_post_only(client, archivist, filed_record, method):
    record = filed_record()
    client.force_login(archivist)
    response = getattr(client, method)(upload_url(record))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert not record.attachments.exists()


def test_upload_needs_the_csrf_token(archivist, filed_record, private_storage):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(archivist)
    response = client.post(upload_url(filed_record()), {"file": SimpleUploadedFile("a.png", make_image("PNG"))})
    assert response.status_code == 403
    assert Attachment.objects.count() == 0


# --- the upload partial -------------------------------------------------------------------------------


def render_partial(user, record):
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(
        "records/_attachment_upload.html",
        {"record": record, "attachment_upload": upload_form(user, record)},
        request=request,
    )


def test_the_partial_shows_the_form_to_those_who_may_upload(settings, archivist, filed_record):
    settings.ARCHIVE_MAX_UPLOAD_MB = 30
    record = filed_record()
    html = render_partial(archivist, record)
    assert f'action="{upload_url(record)}"' in html
    assert 'enctype="multipart/form-data"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="file" multiple required' in html
    assert 'accept=".pdf,.docx,.xlsx,.pptx,.doc,.xls,.ppt,' in html
    assert "Up to 30 MB per file" in html
    assert "PDF, DOCX, XLSX" in html


def test_the_partial_is_empty_for_others(staff, filed_record):
    assert render_partial(staff, filed_record(security_level=I)).strip() == ""


def test_the_record_page_includes_the_partial(client, archivist, filed_record):
    client.force_login(archivist)
    response = client.get(reverse("record_detail", args=[filed_record().pk]))
    assert "records/_attachment_upload.html" in [template.name for template in response.templates]


# --- the access log in the back office ------------------------------------------------------------------


def test_r_access_archivist_reads_the_access_log(client, archivist, leadership, filed_record, private_storage):
    record = filed_record(security_level=C, title="董事会机密纪要")
    attachment = attach(record, archivist, name="纪要扫描.png")
    client.force_login(leadership)
    client.get(download_url(attachment))

    client.force_login(archivist)
    response = client.get(admin_url(AccessLog))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == list(AccessLog.objects.all())
    html = response.content.decode()
    assert "董事会机密纪要" in html and "纪要扫描.png" in html
    entry = AccessLog.objects.get()
    assert client.get(admin_url(AccessLog, "change", entry.pk)).status_code == 200


def test_the_access_log_is_read_only(client, archivist, leadership, filed_record):
    entry = AccessLog.objects.create(user=leadership, record=filed_record(security_level=C), action=AccessAction.VIEW)
    client.force_login(archivist)
    assert client.get(admin_url(AccessLog, "add")).status_code == 403
    assert client.post(admin_url(AccessLog, "change", entry.pk), {"action": "download"}).status_code == 403
    assert client.post(admin_url(AccessLog, "delete", entry.pk), {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.action == "view"


def test_r_lend_4_access_log_lists_only_records_the_reader_may_see(client, leadership, filed_record):
    secret = filed_record(security_level=C, title="机密纪要")
    AccessLog.objects.create(user=leadership, record=secret, action=AccessAction.VIEW)
    reader = staff_user_with_perms("auditor", "records.view_accesslog")
    client.force_login(reader)
    response = client.get(admin_url(AccessLog))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0
    assert "机密纪要" not in response.content.decode()


def test_staff_cannot_open_the_access_log(client, staff, filed_record):
    AccessLog.objects.create(user=staff, record=filed_record(title="代理商协议"), action=AccessAction.VIEW)
    client.force_login(staff)
    response = client.get(admin_url(AccessLog))
    assert response.status_code == 302  # not back-office staff: sent to the back office's login
    assert response.url == f"{reverse('admin:login')}?next={admin_url(AccessLog)}"
    assert "代理商协议" not in response.content.decode()
