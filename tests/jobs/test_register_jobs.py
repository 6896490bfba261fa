"""Long registers are made by a background job, for the reader who asked,
with the same content and access log as a short one printed at once; the
maintenance page starts the file check and the index rebuild as jobs; the
worker queues the daily reminders itself."""
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from accounts.roles import Role
from jobs.models import Job, JobState
from jobs.schedule import ensure_scheduled, next_run
from records.models import AccessAction, AccessLog, SecurityLevel
from tests.factories import category

pytestmark = pytest.mark.django_db


@pytest.fixture
def short_direct_limit(settings):
    settings.ARCHIVE_REGISTER_DIRECT_ROWS = {"pdf": 2, "xlsx": 2}


@pytest.fixture
def five_records(filed_record):
    titles = ["机密投放方案", "华东区代理商协议", "户外广告牌制作合同", "市场部周报汇总", "展会场地租赁合同"]
    return [
        filed_record(title=title, security_level=SecurityLevel.CONFIDENTIAL if index == 0 else SecurityLevel.INTERNAL)
        for index, title in enumerate(titles)
    ]


def ask_for_catalogue(client, fmt):
    return client.get(reverse("catalogue"), {"category": category("HTDL").pk, "year": 2024, "format": fmt})


def the_file(job):
    with job.result_file.open("rb") as stored:
        return stored.read()


def test_a_long_catalogue_goes_to_a_job_and_its_pdf_lists_every_row(
    client, archivist, five_records, short_direct_limit, run_jobs
):
    client.force_login(archivist)
    response = ask_for_catalogue(client, "pdf")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("job_detail", args=[job.pk])
    assert job.owner == archivist and job.state == JobState.QUEUED
    assert "归档文件目录" in job.title and "PDF" in job.title
    assert not AccessLog.objects.filter(action=AccessAction.PRINTED).exists()  # nothing printed yet

    run_jobs()

    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.failure
    assert job.result_name.endswith(".pdf") and job.progress_text() == f"第 {job.total} / {job.total} 页"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(the_file(job))).pages)
    for record in five_records:
        assert record.archive_number in text
    # R-ACCESS: the confidential record printed by the job is logged for the reader who asked.
    [log] = AccessLog.objects.filter(action=AccessAction.PRINTED)
    assert log.user == archivist and log.record == five_records[0] and "PDF" in log.where


def test_a_long_excel_register_goes_to_a_job_too(client, archivist, five_records, short_direct_limit, run_jobs):
    client.force_login(archivist)
    ask_for_catalogue(client, "xlsx")
    run_jobs()
    job = Job.objects.get()
    assert job.state == JobState.SUCCEEDED and job.progress_text() == "第 5 / 5 行"
    sheet = openpyxl.load_workbook(io.BytesIO(the_file(job))).active
    cells = {str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None}
    assert {record.archive_number for record in five_records} <= cells


def test_the_job_lists_only_what_its_reader_may_see(client, staff, five_records, short_direct_limit, run_jobs):
    """R-LEND-4: staff never see the confidential record, by job or not."""
    client.force_login(staff)
    ask_for_catalogue(client, "pdf")
    run_jobs()
    job = Job.objects.get()
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(the_file(job))).pages)
    assert five_records[0].archive_number not in text
    assert five_records[1].archive_number in text
    assert not AccessLog.objects.filter(action=AccessAction.PRINTED).exists()


def test_a_short_register_is_still_a_download_at_once(client, archivist, five_records):
    client.force_login(archivist)
    response = ask_for_catalogue(client, "pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert not Job.objects.exists()


def test_a_reader_who_lost_the_right_before_the_job_ran_gets_a_refusal(
    client, archivist, department_head, short_direct_limit, run_jobs, filed_record
):
    """The lending register job asks the policy again when it runs."""
    from lending.registers import this_month
    from tests.lending.support import approved_request  # noqa: F401  (fixtures of lending)

    client.force_login(department_head)
    first, last = this_month(timezone.localdate())
    response = client.get(reverse("lending_register"), {"date_from": first, "date_to": last, "format": "pdf"})
    assert response.status_code == 200  # no loans: printed at once
    # With loans above the limit the job would start; here we start it directly and take the role away.
    from jobs.services import job_start

    job = job_start(kind="records.register_pdf", owner=department_head, title="借阅登记表",
                    params={"register": "lending", "query": {"date_from": [str(first)], "date_to": [str(last)],
                                                              "format": ["pdf"]}})
    department_head.groups.clear()
    department_head.user_permissions.clear()
    from accounts.models import Department

    Department.objects.filter(head=department_head).update(head=None)
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.failure == "您无权打印借阅登记表。"


def test_the_maintenance_page_starts_a_file_check_as_a_job(client, archivist, staff, run_jobs):
    client.force_login(staff)
    assert client.get(reverse("maintenance")).status_code == 403
    client.force_login(archivist)
    page = client.get(reverse("maintenance")).content.decode()
    assert "检查全部存储文件" in page and "重建检索索引" in page
    response = client.post(reverse("maintenance"), {"action": "verify_files"})
    job = Job.objects.get()
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and "0" in job.summary
    assert "检查全部存储文件" in client.get(reverse("maintenance")).content.decode()


def test_the_maintenance_page_rebuilds_the_search_index_as_a_job(client, archivist, five_records, run_jobs):
    client.force_login(archivist)
    client.post(reverse("maintenance"), {"action": "rebuild_search_index"})
    run_jobs()
    job = Job.objects.get()
    assert job.state == JobState.SUCCEEDED
    assert job.progress_text() == f"已处理 {job.total} / {job.total} 条档案" and job.total >= 5
    response = client.get(reverse("record_list"), {"q": "代理"})
    assert five_records[1].archive_number in response.content.decode()


def test_r_lend_5_the_worker_queues_tomorrows_reminders_itself(settings, run_jobs):
    settings.ARCHIVE_REMINDERS_AT = datetime.time(8, 0)
    morning = timezone.make_aware(datetime.datetime(2025, 3, 10, 7, 0))
    assert next_run(datetime.time(8, 0), morning) == morning.replace(hour=8)
    assert next_run(datetime.time(8, 0), morning.replace(hour=9)) == morning.replace(hour=8) + datetime.timedelta(days=1)

    ensure_scheduled()
    assert ensure_scheduled() == 0  # one waiting run is enough
    [waiting] = DBTaskResult.objects.filter(task_path="lending.tasks.send_daily_reminders")
    assert waiting.status == TaskResultStatus.READY and waiting.run_after > timezone.now()

    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())  # its time has come
    run_jobs()
    runs = DBTaskResult.objects.filter(task_path="lending.tasks.send_daily_reminders").order_by("enqueued_at")
    assert [run.status for run in runs] == [TaskResultStatus.SUCCESSFUL, TaskResultStatus.READY]
    assert runs[1].run_after > timezone.now()  # tomorrow's
