"""A back-office export longer than ARCHIVE_EXPORT_DIRECT_ROWS is written by
the worker (issue 16, point 9: long work shows progress): the reader is
taken to the job's page, the file holds what the export page chose (the
list's filters, the columns, the selected rows) for that person, and the
access logs name them (R-ACCESS, R-CLIENT)."""
import io

import openpyxl
import pytest

from clients.models import Client, ClientDataAccess, DataAccessAction
from jobs.models import Job, JobState
from records.models import Record
from tests.admin_support import admin_url

pytestmark = pytest.mark.django_db

TITLES = ["后台导出甲", "后台导出乙", "后台导出丙"]


@pytest.fixture(autouse=True)
def short_direct_limit(settings):
    settings.ARCHIVE_EXPORT_DIRECT_ROWS = 2


@pytest.fixture
def three_records(filed_record):
    return [filed_record(title=title) for title in TITLES]


def export_form(client, model, label, query=""):
    """The export page's input for every column in `label` ("xlsx"/"csv")."""
    url = admin_url(model, "export") + query
    form = client.get(url).context["form"]
    data = {"format": next(value for value, text in form.fields["format"].choices if text == label), "resource": "0"}
    data.update({name: "on" for name, field in form.fields.items() if getattr(field, "is_selectable_field", False)})
    return url, data


def job_sheet(client, job):
    response = client.get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    return openpyxl.load_workbook(io.BytesIO(content), read_only=True).active


def column(sheet, header):
    rows = list(sheet.iter_rows(values_only=True))
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


def test_a_long_export_is_written_by_the_worker_with_the_lists_filters(client, archivist, three_records, run_jobs):
    client.force_login(archivist)
    url, data = export_form(client, Record, "xlsx", "?q=后台导出")
    response = client.post(url, data)

    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.owner == archivist and job.title == "档案导出（XLSX）"
    page = client.get(response["Location"])
    assert "共 3 行：文件正在后台生成" in page.content.decode()

    run_jobs()

    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.failure
    assert job.progress_text() == "第 3 / 3 行"
    assert job.summary == "已导出 3 行。"
    assert job.result_name.startswith("档案目录-") and job.result_name.endswith(".xlsx")
    assert sorted(column(job_sheet(client, job), "题名")) == sorted(TITLES)


def test_the_job_exports_only_the_rows_the_export_page_was_given(client, archivist, three_records, filed_record,
                                                                  run_jobs):
    """The library's "export selected" sends the chosen rows as export_items
    (no list here offers that action, but the export page accepts them)."""
    filed_record(title="不在所选之中")
    client.force_login(archivist)
    url, data = export_form(client, Record, "xlsx")
    client.post(url, {**data, "export_items": [str(record.pk) for record in three_records]})
    run_jobs()
    job = Job.objects.get()
    assert job.state == JobState.SUCCEEDED, job.failure
    assert sorted(column(job_sheet(client, job), "题名")) == sorted(TITLES)


def test_a_short_export_is_still_a_download_at_once(client, archivist, three_records, settings):
    settings.ARCHIVE_EXPORT_DIRECT_ROWS = 5000
    client.force_login(archivist)
    url, data = export_form(client, Record, "xlsx")
    response = client.post(url, data)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not Job.objects.exists()


def test_an_exporter_who_lost_the_right_gets_a_refusal_and_no_file(client, archivist, three_records, run_jobs):
    client.force_login(archivist)
    url, data = export_form(client, Record, "xlsx")
    client.post(url, data)
    archivist.groups.clear()
    archivist.user_permissions.clear()
    run_jobs()
    job = Job.objects.get()
    assert job.state == JobState.FAILED
    assert job.failure == "您已无权导出此列表。"
    assert not job.result_file


def test_a_client_export_by_the_worker_is_logged_for_its_exporter(client, archivist, run_jobs):
    for name in ["导出客户甲", "导出客户乙", "导出客户丙"]:
        Client.objects.create(name=name, client_type="agent")
    client.force_login(archivist)
    url, data = export_form(client, Client, "xlsx")
    client.post(url, data)
    assert not ClientDataAccess.objects.exists()  # nothing is exported before the worker runs
    run_jobs()
    job = Job.objects.get()
    assert job.state == JobState.SUCCEEDED, job.failure
    entry = ClientDataAccess.objects.get(action=DataAccessAction.EXPORT)
    assert entry.user == archivist
    assert "3" in entry.detail
