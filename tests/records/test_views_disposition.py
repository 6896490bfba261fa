"""The record page and search of a record weeded, destroyed or transferred
out (R-DISP-1..3): seen by exactly those who saw it before, with a status
line saying what happened, when and why, no lending, correction or upload,
and its destroyed files listed as tombstones that cannot be downloaded."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from records.attachments import add_attachment
from records.models import SecurityLevel
from records.services import (
    record_destroy,
    record_extend_retention,
    record_transfer_out,
    record_weed,
)
from tests.conftest import speak_english
from tests.records.test_filetypes import make_image


@pytest.fixture(autouse=True)
def english(client):
    speak_english(client)
    with translation.override("en"):
        yield


def attach(record, user, name="展台效果图.png"):
    return add_attachment(record=record, uploaded_file=SimpleUploadedFile(name, make_image("PNG")), by=user).attachment


def page(client, user, record):
    client.force_login(user)
    return client.get(reverse("record_detail", args=[record.pk]))


@pytest.fixture
def destroyed(filed_record, archivist, private_storage, django_capture_on_commit_callbacks):
    record = filed_record(title="华东区展会布展合同", security_level=SecurityLevel.INTERNAL)
    attachment = attach(record, archivist)
    with django_capture_on_commit_callbacks(execute=True):
        record_destroy(record=record, reason="保管期满，经鉴定销毁", by=archivist)
    attachment.refresh_from_db()
    return record, attachment


def test_r_disp_3_the_page_of_a_destroyed_record_says_so_and_lists_tombstones(client, department_head, destroyed):
    record, attachment = destroyed
    response = page(client, department_head, record)
    html = response.content.decode()

    assert response.status_code == 200
    assert 'data-disposition="destroyed"' in html
    assert "Destroyed on " in html and "Reason: 保管期满，经鉴定销毁" in html
    assert f'data-destroyed="{attachment.pk}"' in html
    assert attachment.sha256 in html  # the whole SHA-256, not the first twelve characters
    assert "展台效果图.png" in html
    assert reverse("attachment_download", args=[attachment.pk]) not in html
    assert response.context["attachment_upload"] is None
    assert response.context["actions"] == []


def test_r_disp_3_a_destroyed_file_is_not_downloaded(client, department_head, destroyed):
    _record, attachment = destroyed
    client.force_login(department_head)
    response = client.get(reverse("attachment_download", args=[attachment.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("role", list(Role))
def test_a_destroyed_record_is_seen_by_exactly_whom_it_was_seen_before(
    client, role_users, filed_record, archivist, role
):
    record = filed_record(security_level=SecurityLevel.INTERNAL)
    user = role_users[role]
    before = page(client, user, record).status_code
    record_destroy(record=record, reason="保管期满", by=archivist)
    assert page(client, user, record).status_code == before


def test_a_transferred_record_names_the_receiving_body(client, archivist, filed_record):
    record = filed_record()
    record_transfer_out(record=record, receiving_body="集团公司档案馆", reason="按规定移交", by=archivist)
    html = page(client, archivist, record).content.decode()
    assert 'data-disposition="transferred"' in html
    assert "to 集团公司档案馆" in html and "Reason: 按规定移交" in html
    # The lending panel offers no request for a record gone.
    assert "lending-request-form" not in html


def test_a_weeded_record_says_it_awaits_destruction(client, archivist, filed_record):
    record = filed_record()
    record_weed(record=record, reason="重复件", by=archivist)
    html = page(client, archivist, record).content.decode()
    assert 'data-disposition="weeded"' in html and "awaits destruction" in html


def test_a_filed_record_has_no_status_line_and_shows_its_extension(client, archivist, filed_record):
    record = filed_record(retention_years=10)
    record_extend_retention(record=record, years=5, reason="审计", by=archivist)
    html = page(client, archivist, record).content.decode()
    assert "data-disposition" not in html
    assert "10 years · extended by 5 years" in html


def test_r_disp_3_search_still_finds_a_destroyed_record_by_number_and_title(client, department_head, destroyed):
    record, _attachment = destroyed
    client.force_login(department_head)
    for query in (record.archive_number, "展会布展"):
        response = client.get(reverse("record_list"), {"q": query})
        assert record.pk in [row.pk for row in response.context["records"]], query
