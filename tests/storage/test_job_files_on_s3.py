"""A long register made by the background worker is kept on S3-compatible
object storage and downloads from there, for the reader who asked only; a
file deleted from the bucket behind the archive's back is said on the job's
page, not an error; against a real S3 server (moto, tests/storage_support.py)."""
import io

import openpyxl
import pytest
from django.urls import reverse

from jobs.models import Job, JobState
from records.models import SecurityLevel
from tests.conftest import run_queued_tasks
from tests.factories import category
from tests.jobs.support import missing_file_message

pytestmark = pytest.mark.django_db


def test_a_long_register_made_by_the_worker_is_stored_in_the_bucket_and_downloads(
    client, archivist, staff, filed_record, s3_bucket, settings, tmp_path
):
    settings.ARCHIVE_REGISTER_DIRECT_ROWS = {"pdf": 2, "xlsx": 2}
    settings.JOBS_TMP_DIR = tmp_path / "job_tmp"
    records = [filed_record(title=title, security_level=SecurityLevel.INTERNAL)
               for title in ("华东区代理商协议", "户外广告牌制作合同", "展会场地租赁合同")]
    client.force_login(archivist)
    client.get(reverse("catalogue"), {"category": category("HTDL").pk, "year": 2024, "format": "xlsx"})

    assert run_queued_tasks() == 1

    job = Job.objects.get()
    assert job.state == JobState.SUCCEEDED, job.failure
    assert s3_bucket.keys() == [s3_bucket.key(job.result_file.name)]
    assert not any(path.is_file() for path in s3_bucket.local_root.rglob("*"))
    response = client.get(reverse("job_download", args=[job.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content == s3_bucket.read(s3_bucket.key(job.result_file.name))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = {str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None}
    assert {record.archive_number for record in records} <= cells

    client.force_login(staff)  # a job's file is its owner's only
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404


def test_a_jobs_file_deleted_from_the_bucket_is_said_on_the_job_page_not_an_error(
    client, staff, filed_record, s3_bucket, settings, tmp_path
):
    settings.ARCHIVE_REGISTER_DIRECT_ROWS = {"pdf": 2, "xlsx": 2}
    settings.JOBS_TMP_DIR = tmp_path / "job_tmp"
    for title in ("华东区代理商协议", "户外广告牌制作合同", "展会场地租赁合同"):
        filed_record(title=title, security_level=SecurityLevel.INTERNAL)
    client.force_login(staff)
    client.get(reverse("catalogue"), {"category": category("HTDL").pk, "year": 2024, "format": "xlsx"})
    assert run_queued_tasks() == 1
    job = Job.objects.get()
    assert job.state == JobState.SUCCEEDED, job.failure
    # Deleted by hand from the bucket, behind the archive's back.
    s3_bucket.server.client().delete_object(Bucket=s3_bucket.name, Key=s3_bucket.key(job.result_file.name))
    assert s3_bucket.keys() == []

    response = client.get(reverse("job_download", args=[job.pk]), follow=True)

    assert response.redirect_chain == [(reverse("job_detail", args=[job.pk]), 302)]
    assert 'class="message message--error" role="alert">' + missing_file_message(job.result_name) in (
        response.content.decode()
    )
