"""Background jobs: they run in the worker, report progress, keep their file
or say why they failed, survive a worker restart, and only their owner sees
them."""
import pytest
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.exceptions import ActionRefused
from jobs.models import Job, JobState, ProgressUnit
from jobs.registry import register_job_kind
from jobs.services import job_start, jobs_requeue_interrupted
from tests.jobs.support import missing_file_message

pytestmark = pytest.mark.django_db


def counting_job(run):
    """Writes one line per step and reports each step."""
    steps = run.params["steps"]
    output = run.output("steps.txt", "text/plain")
    for step in range(1, steps + 1):
        output.write(f"step {step}\n".encode())
        run.progress(step, steps, force=True)
    run.summary = f"{steps} steps"


def refusing_job(run):
    raise ActionRefused("该年度没有可打印的档案。")


def broken_job(run):
    raise ValueError("an English library error nobody should read")


register_job_kind("tests.counting", counting_job, unit=ProgressUnit.PAGES)
register_job_kind("tests.refusing", refusing_job)
register_job_kind("tests.broken", broken_job)


def test_a_job_waits_for_the_worker_then_keeps_its_file_and_progress(staff, run_jobs):
    job = job_start(kind="tests.counting", owner=staff, title="十步", params={"steps": 10})
    assert Job.objects.get(pk=job.pk).state == JobState.QUEUED
    assert DBTaskResult.objects.get(pk=job.task_id).status == TaskResultStatus.READY

    assert run_jobs() == 1

    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    assert (job.done, job.total, job.attempts) == (10, 10, 1)
    assert job.progress_text() == "第 10 / 10 页"
    assert job.summary == "10 steps"
    assert job.result_name == "steps.txt"
    with job.result_file.open("rb") as stored:
        assert stored.read().decode().splitlines() == [f"step {n}" for n in range(1, 11)]
    assert DBTaskResult.objects.get(pk=job.task_id).status == TaskResultStatus.SUCCESSFUL


def test_a_second_click_gives_the_same_job_until_it_has_run(staff, run_jobs):
    first = job_start(kind="tests.counting", owner=staff, title="十步", params={"steps": 2})
    again = job_start(kind="tests.counting", owner=staff, title="十步", params={"steps": 2})
    assert again.pk == first.pk and DBTaskResult.objects.count() == 1
    run_jobs()
    later = job_start(kind="tests.counting", owner=staff, title="十步", params={"steps": 2})
    assert later.pk != first.pk


def test_a_refused_job_says_why_in_the_users_words(staff, run_jobs):
    job = job_start(kind="tests.refusing", owner=staff, title="目录")
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.failure == "该年度没有可打印的档案。"
    assert not job.result_file


def test_a_job_that_breaks_says_so_in_chinese_and_keeps_the_traceback_for_the_administrator(staff, run_jobs):
    job = job_start(kind="tests.broken", owner=staff, title="目录")
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "系统管理员" in job.failure and "English" not in job.failure
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert task.status == TaskResultStatus.FAILED and "an English library error" in task.traceback


def test_a_job_interrupted_by_a_worker_restart_runs_again_from_the_start(staff, run_jobs):
    job = job_start(kind="tests.counting", owner=staff, title="十步", params={"steps": 3})
    # The worker claimed it and died half-way (kill -9, power cut).
    task = DBTaskResult.objects.get(pk=job.task_id)
    task.claim("archive-host-worker")
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, done=1, total=3, attempts=1)

    assert run_jobs() == 0  # nothing is ready: the task looks taken
    assert jobs_requeue_interrupted(worker_id="another-host-worker") == 0
    assert jobs_requeue_interrupted(worker_id="archive-host-worker") == 1

    job.refresh_from_db()
    assert (job.state, job.done) == (JobState.QUEUED, 0)
    assert run_jobs() == 1
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.attempts == 2
    with job.result_file.open("rb") as stored:
        assert stored.read().decode().splitlines() == ["step 1", "step 2", "step 3"]


def test_a_task_run_twice_does_nothing_the_second_time(staff, run_jobs):
    from jobs.runner import execute_job

    job = job_start(kind="tests.counting", owner=staff, title="十步", params={"steps": 1})
    run_jobs()
    job.refresh_from_db()
    finished_at = job.finished_at
    execute_job(str(job.pk))
    job.refresh_from_db()
    assert job.finished_at == finished_at and job.attempts == 1


def test_only_the_owner_sees_a_job_and_its_file(client, staff, archivist, run_jobs):
    job = job_start(kind="tests.counting", owner=staff, title="十步的登记表", params={"steps": 2})
    run_jobs()
    client.force_login(archivist)
    assert client.get(reverse("job_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404
    assert "十步的登记表" not in client.get(reverse("job_list")).content.decode()

    client.force_login(staff)
    listing = client.get(reverse("job_list")).content.decode()
    assert "十步的登记表" in listing and "已完成" in listing
    download = client.get(reverse("job_download", args=[job.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).decode().splitlines() == ["step 1", "step 2"]


def test_the_navigation_counts_finished_jobs_until_their_result_is_opened(client, staff, run_jobs):
    job = job_start(kind="tests.counting", owner=staff, title="十步", params={"steps": 2})
    client.force_login(staff)
    home = client.get(reverse("home")).content.decode()
    assert 'title="已完成，尚未查看"' not in home
    run_jobs()
    home = client.get(reverse("home")).content.decode()
    assert 'title="已完成，尚未查看">1</span>' in home
    client.get(reverse("job_download", args=[job.pk]))
    home = client.get(reverse("home")).content.decode()
    assert 'title="已完成，尚未查看"' not in home


def test_the_job_page_shows_progress_and_reloads_itself_until_the_job_ends(client, staff, run_jobs):
    job = job_start(kind="tests.counting", owner=staff, title="目录", params={"steps": 490})
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, done=120, total=490)
    client.force_login(staff)
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "第 120 / 490 页" in page
    assert '<meta http-equiv="refresh" content="2">' in page
    assert 'value="24"' in page  # 120 of 490, as a progress bar

    Job.objects.filter(pk=job.pk).update(state=JobState.QUEUED, done=0)
    run_jobs()
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "http-equiv=\"refresh\"" not in page
    assert "第 490 / 490 页" in page and "下载 steps.txt" in page


def test_a_failed_job_page_says_why(client, staff, run_jobs):
    job = job_start(kind="tests.refusing", owner=staff, title="目录")
    run_jobs()
    client.force_login(staff)
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "失败" in page and "该年度没有可打印的档案。" in page
    job.refresh_from_db()
    assert job.seen_at is not None  # nothing to download: reading it was seeing it


def test_my_jobs_is_paginated_newest_first(client, staff):
    for number in range(25):
        Job.objects.create(kind="tests.counting", owner=staff, title=f"任务{number:02d}")
    client.force_login(staff)
    first = client.get(reverse("job_list")).content.decode()
    second = client.get(reverse("job_list") + "?page=2").content.decode()
    assert "任务24" in first and "任务05" in first and "任务04" not in first
    assert "任务04" in second and "任务00" in second and "第 2 页 共 2 页" in second


def test_a_jobs_file_is_removed_after_its_keeping_time_and_the_job_says_so(client, staff, run_jobs, settings):
    from datetime import timedelta

    from django.utils import timezone

    from jobs.services import jobs_clear_old_files

    settings.ARCHIVE_JOB_FILES_DAYS = 30
    job = job_start(kind="tests.counting", owner=staff, title="十步", params={"steps": 1})
    run_jobs()
    job.refresh_from_db()
    stored = job.result_file.path
    assert jobs_clear_old_files(now=timezone.now() + timedelta(days=29)) == 0
    assert jobs_clear_old_files(now=timezone.now() + timedelta(days=31)) == 1
    job.refresh_from_db()
    assert not job.result_file and job.state == JobState.SUCCEEDED
    import os

    assert not os.path.exists(stored)
    client.force_login(staff)
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "steps.txt 已在保留期满后删除" in page


def test_the_worker_queues_its_nightly_clean_ups(run_jobs):
    from jobs.schedule import ensure_scheduled

    ensure_scheduled()
    waiting = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert {
        "jobs.tasks.clear_old_job_files", "records.tasks.clear_stale_import_files",
        "records.tasks.refresh_statistics_daily",
        "lending.tasks.send_daily_reminders",
    } <= waiting


def test_my_jobs_and_the_maintenance_page_cost_the_same_at_10_and_1000_jobs(client, archivist):
    from tests.query_counts import queries_for

    def add_jobs(count):
        Job.objects.bulk_create(
            Job(kind="records.verify_files", owner=archivist, title="检查", state=JobState.SUCCEEDED)
            for _ in range(count)
        )

    client.force_login(archivist)
    add_jobs(10)
    urls = (reverse("job_list"), reverse("maintenance"), reverse("home"))
    for url in urls:  # once first: what a process reads once and keeps (policy values, content types) is not counted
        client.get(url)
    few = {url: queries_for(client, url) for url in urls}
    add_jobs(990)
    many = {url: queries_for(client, url) for url in few}
    assert many == few


def test_a_jobs_file_deleted_from_the_disk_is_said_on_the_job_page_not_an_error(client, staff, run_jobs):
    job = job_start(kind="tests.counting", owner=staff, title="十步", params={"steps": 1})
    run_jobs()
    job.refresh_from_db()
    job.result_file.storage.delete(job.result_file.name)  # behind the archive's back
    client.force_login(staff)

    response = client.get(reverse("job_download", args=[job.pk]), follow=True)

    assert response.redirect_chain == [(reverse("job_detail", args=[job.pk]), 302)]
    page = response.content.decode()
    assert 'class="message message--error" role="alert">' + missing_file_message("steps.txt") in page
