"""The real worker process (`manage.py run_worker`, django-tasks-db's loop):
it runs a queued register job, and a job it was running when it was killed
(kill -9, a power cut) runs again from the start when it is back.

A transactional test: the worker is another process and reads the test
database through its own connection, so the rows must be committed."""
import io
import os
import signal
import subprocess
import sys
import time
from urllib.parse import quote

import pytest
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from jobs.models import Job, JobState
from tests.factories import category
from tests.test_deployment import ROOT, server_env

pytestmark = pytest.mark.django_db(transaction=True)


def database_url():
    """The test database as the worker process must reach it."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    parts = {key: quote(str(settings.get(key) or ""), safe="") for key in ("USER", "PASSWORD", "HOST", "PORT", "NAME")}
    # A socket directory as the host is percent-encoded (scripts/pg_cluster.sh).
    return "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(**parts)


def worker(tmp_path, *arguments):
    env = server_env(
        DATABASE_URL=database_url(),
        ARCHIVE_MEDIA_ROOT=str(tmp_path),
        ARCHIVE_VAR_DIR=str(tmp_path / "var"),
        ARCHIVE_WORKER_NAME="test-restart",
    )
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "run_worker", "--interval", "0.05", "--no-startup-delay",
         *arguments],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_a_job_killed_with_its_worker_runs_again_when_the_worker_is_back(
    client, archivist, filed_record, private_storage, settings, tmp_path
):
    records = [filed_record(title=f"重启测试档案{number:03d}") for number in range(40)]
    settings.ARCHIVE_REGISTER_DIRECT_ROWS = {"pdf": 0, "xlsx": 0}
    client.force_login(archivist)
    client.get(reverse("catalogue"), {"category": category("HTDL").pk, "year": 2024, "format": "pdf"})
    job = Job.objects.get()

    first = worker(tmp_path)
    try:
        started = wait_for(lambda: Job.objects.get(pk=job.pk).state == JobState.RUNNING)
        if not started:
            first.kill()
            pytest.fail("the worker never started: " + first.communicate(timeout=30)[0])
        first.send_signal(signal.SIGKILL)  # no chance to finish or tidy up
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    job.refresh_from_db()
    assert job.state == JobState.RUNNING and not job.result_file

    second = worker(tmp_path, "--batch")
    output, _ = second.communicate(timeout=180)
    assert second.returncode == 0, output
    assert "1 个中断的任务已重新排队。" in output or "1 interrupted jobs queued again." in output

    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.failure
    assert job.attempts == 2
    with open(os.path.join(tmp_path, job.result_file.name), "rb") as stored:
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(stored.read())).pages)
    assert all(record.archive_number in text for record in records)
