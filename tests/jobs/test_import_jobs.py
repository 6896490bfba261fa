"""A confirmed back-office import longer than ARCHIVE_IMPORT_DIRECT_ROWS is
imported by the worker, all or nothing, as the person who confirmed it; a
refused one changes nothing and its job says why, row by row."""
import pytest

from jobs.models import Job, JobState
from records.models import Record
from tests.records.test_import_confirmations import HEADERS, confirm, confirmation, preview, stored_files

pytestmark = pytest.mark.django_db

TITLES = ["后台导入一", "后台导入二", "后台导入三"]


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.IMPORT_TMP_DIR = tmp_path / "import_tmp"
    settings.ARCHIVE_IMPORT_DIRECT_ROWS = 2
    return settings.IMPORT_TMP_DIR


def three_rows(category="NBZD"):
    return [HEADERS, *[["", title, category, 2024] for title in TITLES]]


def test_a_long_import_is_confirmed_into_a_job_and_imported_by_the_worker(client, archivist, import_dir, run_jobs):
    client.force_login(archivist)
    page = preview(client, three_rows())
    response = confirm(client, confirmation(page))

    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.owner == archivist and "catalogue.xlsx" in job.title
    assert not Record.objects.filter(title__in=TITLES).exists()  # nothing before the worker runs
    assert len(stored_files(import_dir)) == 1  # the claimed file waits for the job

    run_jobs()

    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.failure
    assert job.summary == "导入完成：新增 3 条，更新 0 条，未变 0 条。"
    assert job.progress_text() == "第 3 / 3 行"
    records = Record.objects.filter(title__in=TITLES)
    assert records.count() == 3
    assert {record.history.earliest().history_user for record in records} == {archivist}
    assert stored_files(import_dir) == []


def test_a_short_import_is_still_imported_in_the_request(client, archivist, settings):
    settings.ARCHIVE_IMPORT_DIRECT_ROWS = 1000
    client.force_login(archivist)
    page = preview(client, three_rows())
    confirm(client, confirmation(page))
    assert Record.objects.filter(title__in=TITLES).count() == 3 and not Job.objects.exists()


def test_a_job_whose_rows_are_refused_imports_nothing_and_names_the_row(client, archivist, import_dir, run_jobs):
    client.force_login(archivist)
    page = preview(client, three_rows())
    confirm(client, confirmation(page))
    # Between the confirmation and the worker, the class code changes: the rows name a class no longer there.
    from records.models import Category

    Category.objects.filter(code="NBZD").update(code="NBZX")
    run_jobs()
    job = Job.objects.get()
    assert job.state == JobState.FAILED
    assert "第 2 行" in job.failure
    assert not Record.objects.filter(title__in=TITLES).exists()
    assert stored_files(import_dir) == []


def test_a_confirmer_who_lost_the_right_to_import_gets_a_refusal(client, archivist, import_dir, run_jobs):
    client.force_login(archivist)
    page = preview(client, three_rows())
    confirm(client, confirmation(page))
    archivist.groups.clear()
    archivist.user_permissions.clear()
    run_jobs()
    job = Job.objects.get()
    assert job.state == JobState.FAILED and job.failure == "您已无权向此列表导入。"
    assert not Record.objects.filter(title__in=TITLES).exists()
