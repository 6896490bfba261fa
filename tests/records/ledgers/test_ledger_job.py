"""A large legacy ledger is imported by the worker (records.ledgers.jobs,
issue 15): the job's page shows the rows read while they are read, the
write is all or nothing, the upload says how it ended and its file goes."""
import pytest
from django.utils import translation

from accounts.roles import Role, assign_role
from jobs import runner
from jobs.models import Job, JobState, ProgressUnit
from records.ledgers import checking, run
from records.ledgers.jobs import LEDGER_IMPORT
from records.models import LedgerUpload, LedgerUploadState, Record
from tests.records.ledgers.ledger_support import legacy_plan, legacy_rows, legacy_xlsx
from tests.records.ledgers.support import as_upload

ROWS = 12


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def import_dir(settings, tmp_path):
    settings.IMPORT_TMP_DIR = tmp_path / "import_tmp"
    settings.ARCHIVE_IMPORT_DIRECT_ROWS = 5
    return settings.IMPORT_TMP_DIR


def planned_upload(user, rows):
    upload = run.ledger_upload_start(user=user, kind="records", file=as_upload(legacy_xlsx(rows), "2023.xlsx"))
    plan = legacy_plan()
    upload.sheet_name, upload.header_row, upload.mapping, upload.fills = (
        plan.sheet_name, plan.header_row, plan.mapping, plan.fills
    )
    # A large file is confirmed only on a kept check of its plan (the
    # preview's background check, tests/records/ledgers/test_preview_job.py).
    upload.checked = {
        "plan": checking.plan_key(plan), "job": None,
        "result": checking.checked_to_json(run.check_ledger(run.ledger_upload_workbook(upload), plan, user)),
    }
    upload.save()
    return upload


def test_a_large_file_is_imported_by_the_worker_with_its_rows_counted(
    archivist, import_dir, run_jobs, monkeypatch, django_capture_on_commit_callbacks
):
    upload = planned_upload(archivist, legacy_rows(ROWS))
    before = Record.objects.count()
    outcome, job = run.ledger_upload_confirm(upload=upload, user=archivist)
    assert outcome == "job" and job.kind == LEDGER_IMPORT and job.owner == archivist
    assert job.unit == ProgressUnit.ROWS and job.params == {"upload": upload.pk, "rows": ROWS}
    upload.refresh_from_db()
    assert upload.state == LedgerUploadState.IMPORTING and upload.job == job
    assert Record.objects.count() == before  # nothing until the worker runs

    # Every report of rows read is written where the job's page sees it:
    # the rows are read outside the write transaction.
    monkeypatch.setattr(runner, "PROGRESS_INTERVAL_SECONDS", 0)
    seen = []
    report = runner.JobRun.progress

    def watched(self, done, total=None, **kwargs):
        report(self, done, total, **kwargs)
        seen.append(Job.objects.get(pk=self.job.pk).done)

    monkeypatch.setattr(runner.JobRun, "progress", watched)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_jobs() == 1
    assert seen[:ROWS] == list(range(1, ROWS + 1))

    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and (job.done, job.total) == (ROWS, ROWS)
    assert job.summary == "Imported: 12 new rows, 0 rows already in the archive left as they were."
    assert Record.objects.count() == before + ROWS
    assert set(Record.history.filter(history_type="+").values_list("history_user", flat=True)) >= {archivist.pk}
    upload.refresh_from_db()
    assert upload.state == LedgerUploadState.IMPORTED and upload.summary == job.summary
    assert list(import_dir.iterdir()) == []


def test_a_job_refused_writes_nothing_and_the_upload_says_why(
    archivist, import_dir, run_jobs, django_capture_on_commit_callbacks
):
    upload = planned_upload(archivist, legacy_rows(ROWS))
    _outcome, job = run.ledger_upload_confirm(upload=upload, user=archivist)
    before = Record.objects.count(), Record.history.count()
    # Before the worker runs, the owner loses the right to import records.
    archivist.groups.clear()
    assign_role(archivist, Role.STAFF)
    with django_capture_on_commit_callbacks(execute=True):
        run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.failure == "You may not import this kind of ledger."
    assert (Record.objects.count(), Record.history.count()) == before
    upload.refresh_from_db()
    assert upload.state == LedgerUploadState.FAILED and upload.summary == job.failure
    assert list(import_dir.iterdir()) == []


def test_a_job_for_an_upload_no_longer_importing_does_nothing(archivist, import_dir, run_jobs):
    upload = planned_upload(archivist, legacy_rows(ROWS))
    _outcome, job = run.ledger_upload_confirm(upload=upload, user=archivist)
    LedgerUpload.objects.filter(pk=upload.pk).update(state=LedgerUploadState.CANCELLED)
    before = Record.objects.count()
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.failure == "This import was already finished or cancelled."
    assert Record.objects.count() == before
