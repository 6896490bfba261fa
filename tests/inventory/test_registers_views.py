"""The registers' pages (inventory.views_registers): the archivist and the
department head download the stocktake report and the write-off register;
every other role is refused; a long report is made by a background job
for the reader; a confidential record the report names is logged."""
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from inventory import services
from jobs.models import Job, JobState
from records.models import AccessAction, AccessLog, SecurityLevel
from tests.conftest import speak_english
from tests.inventory.registers_support import YEAR, counted_stocktake, pdf_text, sheet_rows, workbook
from tests.inventory.support import filed_in, shelves, unit_of

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def counted(archivist, filed_record):
    return counted_stocktake(archivist, filed_record)


def report_url(stocktake):
    return reverse("inventory_stocktake_report", args=[stocktake.pk])


def test_the_archivist_downloads_one_boxs_report_as_pdf(client, archivist, counted):
    stocktake, box1, _box2, names = counted
    client.force_login(archivist)
    response = client.get(report_url(stocktake), {"unit": unit_of(stocktake, box1).pk, "format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == PDF
    assert "attachment" in response["Content-Disposition"] and stocktake.number in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "R1-C1-B0011号盒32111101" in text and "R1-C1-B0022号盒21000000" not in text
    assert names["lost"].archive_number in text


def test_the_department_head_downloads_the_report_as_excel(client, department_head, counted):
    stocktake, _box1, _box2, names = counted
    client.force_login(department_head)
    response = client.get(report_url(stocktake), {"format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    totals, differences = workbook(response.content).worksheets
    assert ("合计", 5, 3, 1, 1, 1, 1, 0, 1) in sheet_rows(totals)
    assert names["lost"].archive_number in [row[2] for row in sheet_rows(differences)]


def test_the_report_page_offers_the_boxes_and_says_it_is_a_draft(client, archivist, counted):
    stocktake, box1, _box2, _names = counted
    client.force_login(archivist)
    speak_english(client)
    page = client.get(report_url(stocktake)).content.decode()
    assert "Draft: the stocktake is not closed" in page
    assert f'value="{unit_of(stocktake, box1).pk}"' in page and "R1-C1-B001 1号盒" in page
    assert f'name="stocktake" value="{stocktake.pk}"' in page
    assert f'href="/inventory/stocktakes/{stocktake.pk}/"' in page


def test_a_box_of_another_stocktake_is_refused_with_the_form_again(client, archivist, counted):
    stocktake, _box1, _box2, _names = counted
    _room, _cabinet, (other_box,) = shelves(1, room_code="R9")
    other = services.stocktake_open(year=YEAR, locations=[other_box], by=archivist)
    client.force_login(archivist)
    response = client.get(report_url(stocktake), {"unit": unit_of(other, other_box).pk, "format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "field--error" in response.content.decode()


@pytest.mark.parametrize("role", ["staff", "outside_staff", "leadership", "sysadmin"])
def test_other_roles_may_not_read_the_registers(client, request, role, counted):
    stocktake, _box1, _box2, _names = counted
    client.force_login(request.getfixturevalue(role))
    assert client.get(report_url(stocktake), {"format": "pdf"}).status_code == 403
    assert client.get(report_url(stocktake)).status_code == 403
    assert client.get(reverse("inventory_write_off_register"), {"format": "xlsx"}).status_code == 403


def test_anonymous_is_sent_to_sign_in_and_post_is_not_allowed(client, archivist, counted):
    stocktake, _box1, _box2, _names = counted
    response = client.get(report_url(stocktake), {"format": "pdf"})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(archivist)
    assert client.post(report_url(stocktake), {"format": "pdf"}).status_code == 405
    assert client.post(reverse("inventory_write_off_register"), {"format": "pdf"}).status_code == 405
    assert client.get(reverse("inventory_stocktake_report", args=[999999])).status_code == 404


def test_r_access_a_confidential_record_the_report_names_is_logged(client, archivist, filed_record):
    _room, _cabinet, (box,) = shelves(1)
    (secret,) = filed_in(filed_record, box, 1)
    secret.security_level = SecurityLevel.CONFIDENTIAL
    secret.save()
    stocktake = services.stocktake_open(year=YEAR, locations=[box], by=archivist)
    client.force_login(archivist)
    client.get(report_url(stocktake), {"format": "xlsx"})
    log = AccessLog.objects.get(record=secret)
    assert (log.user, log.action) == (archivist, AccessAction.PRINTED) and stocktake.number in log.where


def test_the_write_off_register_page_and_download(client, archivist, filed_record):
    record = filed_record(title="登记簿中的档案")
    from tests.disposal.support import with_file

    services.write_off_request(record=record, kind="loss", reason="遗失", by=archivist,
                               evidence=[with_file(record, archivist)])
    client.force_login(archivist)
    page = client.get(reverse("inventory_write_off_register")).content.decode()
    assert f'value="{YEAR}"' in page
    response = client.get(reverse("inventory_write_off_register"), {"year": YEAR, "format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    rows = sheet_rows(workbook(response.content).active)
    assert rows[3][1:3] == (record.archive_number, "登记簿中的档案")
    response = client.get(reverse("inventory_write_off_register"), {"year": "abc", "format": "xlsx"})
    assert response["Content-Type"].startswith("text/html") and "field--error" in response.content.decode()


def test_a_long_report_is_made_by_a_job_for_the_reader(client, settings, archivist, counted, run_jobs):
    stocktake, _box1, _box2, names = counted
    settings.ARCHIVE_REGISTER_DIRECT_ROWS = {"pdf": 2, "xlsx": 2}
    client.force_login(archivist)
    response = client.get(report_url(stocktake), {"format": "pdf"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("job_detail", args=[job.pk])
    assert job.owner == archivist and stocktake.number in job.title

    run_jobs()

    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.failure
    with job.result_file.open("rb") as stored:
        content = stored.read()
    text = "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)
    assert "合计53111101" in text and names["lost"].archive_number in text
