"""The preview of a large legacy ledger is checked by the worker (issue 15,
records.ledgers.checking): more than ARCHIVE_IMPORT_DIRECT_ROWS data rows
start a check job, the preview shows the rows read and reloads until the
result is kept on the upload with the plan it was made for; a changed plan
discards it, and a large file is confirmed only on a kept, current check
without problems. The jobs run through the real jobs runner."""
import datetime
import json

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from jobs import runner
from jobs.models import Job, JobState, ProgressUnit
from records.import_files import ImportFileStorage
from records.ledgers import checking
from records.ledgers import run as ledger_run
from records.ledgers.jobs import LEDGER_IMPORT
from records.ledgers.types import Checked, Problem
from records.models import LedgerUploadState, Record
from tests.records.ledgers.support import make_xlsx
from tests.records.ledgers.test_views import (
    FILLS,
    TITLES,
    last_upload,
    legacy_xlsx,
    mapping_post,
    through_mapping,
    upload,
)

ROWS = 3  # the legacy workbook's data rows (tests.records.ledgers.test_views)


@pytest.fixture
def large(settings, tmp_path):
    """Three rows are a large file here."""
    settings.IMPORT_TMP_DIR = tmp_path / "import_tmp"
    settings.ARCHIVE_IMPORT_DIRECT_ROWS = 2


def checking_text(name, done, total):
    with translation.override("zh-hans"):
        return gettext("Checking “%(name)s”… %(done)s of %(total)s rows read.") % {
            "name": name, "done": done, "total": total
        }


def preview(client, ledger):
    return client.get(reverse("ledger_preview", args=[ledger.pk]))


def check_jobs():
    return Job.objects.filter(kind=checking.LEDGER_CHECK)


def shown_messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_large_file_is_checked_by_the_worker_and_its_preview_shows_the_problems(
    client, archivist, large, run_jobs, monkeypatch
):
    client.force_login(archivist)
    # The second row's date is not a date: a problem the check must find.
    ledger = through_mapping(client, archivist, data=legacy_xlsx(dates=(45052, "2023年13月45日", "2023.6.1")))
    before = Record.objects.count(), Record.history.count()

    response = preview(client, ledger)
    page = response.content.decode()
    assert [template.name for template in response.templates][0] == "records/ledger_import/checking.html"
    job = check_jobs().get()
    assert job.owner == archivist and job.unit == ProgressUnit.ROWS and job.state == JobState.QUEUED
    assert checking_text(ledger.original_name, 0, ROWS) in page
    assert f'href="{reverse("job_detail", args=[job.pk])}"' in page
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "ledger-confirm" not in page
    ledger.refresh_from_db()
    assert ledger.checked == {"plan": checking.plan_key(ledger_run.ledger_upload_plan(ledger)), "job": str(job.pk),
                              "result": None}

    # Reloading while it runs starts nothing new and shows the rows read.
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, done=12000, total=100000)
    page = preview(client, ledger).content.decode()
    assert checking_text(ledger.original_name, "12,000", "100,000") in page
    assert check_jobs().count() == 1
    Job.objects.filter(pk=job.pk).update(state=JobState.QUEUED, done=0, total=None)

    # The rows read are written where the page sees them: outside a transaction.
    monkeypatch.setattr(runner, "PROGRESS_INTERVAL_SECONDS", 0)
    seen = []
    report = runner.JobRun.progress

    def watched(self, done, total=None, **kwargs):
        report(self, done, total, **kwargs)
        seen.append(Job.objects.get(pk=self.job.pk).done)

    monkeypatch.setattr(runner.JobRun, "progress", watched)
    assert run_jobs() == 1
    assert seen[:ROWS] == [1, 2, 3]
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and (job.done, job.total) == (ROWS, ROWS)

    response = preview(client, ledger)
    page = response.content.decode()
    assert [template.name for template in response.templates][0] == "records/ledger_import/preview.html"
    checked = response.context["checked"]
    assert checked.rows == ROWS and checked.problem_count == 1 and not checked.importable
    assert checked.problems[0].row == 4 and checked.problems[0].column == "F"
    assert checked.problems[0].message in page
    assert TITLES[0] in page  # the kept preview rows
    assert "ledger-confirm" not in page
    assert check_jobs().count() == 1  # the kept result is shown, not checked again

    # Confirming a check with problems is refused; nothing is written.
    response = client.post(reverse("ledger_confirm", args=[ledger.pk]))
    assert response.url == reverse("ledger_preview", args=[ledger.pk])
    ledger.refresh_from_db()
    assert ledger.state == LedgerUploadState.DRAFT and ledger.job is None
    assert (Record.objects.count(), Record.history.count()) == before


def test_a_large_file_checked_without_problems_is_imported_by_a_job(
    client, archivist, large, run_jobs, django_capture_on_commit_callbacks
):
    client.force_login(archivist)
    ledger = through_mapping(client, archivist)
    preview(client, ledger)
    before = Record.objects.count(), Record.history.count()
    run_jobs()
    assert (Record.objects.count(), Record.history.count()) == before  # the check writes nothing
    response = preview(client, ledger)
    assert response.context["checked"].importable and response.context["new_rows"] == ROWS
    assert "ledger-confirm" in response.content.decode()

    response = client.post(reverse("ledger_confirm", args=[ledger.pk]))
    ledger.refresh_from_db()
    assert ledger.state == LedgerUploadState.IMPORTING and ledger.job.kind == LEDGER_IMPORT
    assert response.url == reverse("job_detail", args=[ledger.job.pk])
    with django_capture_on_commit_callbacks(execute=True):
        run_jobs()
    ledger.refresh_from_db()
    assert ledger.state == LedgerUploadState.IMPORTED
    assert Record.objects.filter(title__in=TITLES).count() == ROWS


def test_a_changed_plan_discards_the_kept_check(client, archivist, large, run_jobs):
    client.force_login(archivist)
    ledger = through_mapping(client, archivist)
    preview(client, ledger)
    run_jobs()
    ledger.refresh_from_db()
    assert ledger.checked["result"]["rows"] == ROWS

    # The same columns posted again keep it; another fill discards it.
    response = client.get(reverse("ledger_mapping", args=[ledger.pk]))
    client.post(reverse("ledger_mapping", args=[ledger.pk]), mapping_post(response))
    ledger.refresh_from_db()
    assert ledger.checked is not None
    client.post(
        reverse("ledger_mapping", args=[ledger.pk]),
        mapping_post(response, **{**FILLS, "fill_security_level": "internal"}),
    )
    ledger.refresh_from_db()
    assert ledger.fills.get("security_level") == "internal"
    assert ledger.checked is None

    # The preview checks the new plan again, in the background.
    page = preview(client, ledger).content.decode()
    assert checking_text(ledger.original_name, 0, ROWS) in page
    assert check_jobs().count() == 2


def test_a_check_of_an_older_plan_is_never_confirmed(client, archivist, large, run_jobs):
    client.force_login(archivist)
    ledger = through_mapping(client, archivist)
    preview(client, ledger)
    run_jobs()
    # The plan changes by another way than the mapping page: the kept
    # check is no longer current.
    ledger.refresh_from_db()
    ledger.header_row = 1
    ledger.save()
    assert checking.current_checked(ledger, ledger_run.ledger_upload_plan(ledger)) is None
    response = client.post(reverse("ledger_confirm", args=[ledger.pk]))
    assert response.url == reverse("ledger_preview", args=[ledger.pk])
    ledger.refresh_from_db()
    assert ledger.state == LedgerUploadState.DRAFT and not Job.objects.filter(kind=LEDGER_IMPORT).exists()
    assert not Record.objects.filter(title__in=TITLES).exists()


def test_a_check_job_whose_plan_changed_keeps_nothing(client, archivist, large, run_jobs):
    client.force_login(archivist)
    ledger = through_mapping(client, archivist)
    preview(client, ledger)
    job = check_jobs().get()
    ledger.refresh_from_db()
    ledger.fills = {**ledger.fills, "security_level": "internal"}
    ledger.save()
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    ledger.refresh_from_db()
    assert ledger.checked["result"] is None  # the check of the old plan is not kept


def test_confirming_a_large_file_without_a_check_is_refused(client, archivist, large):
    client.force_login(archivist)
    ledger = through_mapping(client, archivist)
    response = client.post(reverse("ledger_confirm", args=[ledger.pk]))
    assert response.url == reverse("ledger_preview", args=[ledger.pk])
    with translation.override("zh-hans"):
        expected = gettext(
            "This file has not been checked with these columns yet: open the preview and wait until the check is done."
        )
    assert expected in shown_messages(response)
    ledger.refresh_from_db()
    assert ledger.state == LedgerUploadState.DRAFT and ledger.job is None
    assert not Job.objects.exists()
    assert not Record.objects.filter(title__in=TITLES).exists()


def test_a_failed_check_is_said_and_forgotten(client, archivist, large, run_jobs):
    client.force_login(archivist)
    ledger = through_mapping(client, archivist)
    preview(client, ledger)
    ImportFileStorage().delete(ledger.stored_name)  # cleared before the worker reads it
    run_jobs()
    job = check_jobs().get()
    with translation.override("zh-hans"):
        expected = gettext("The uploaded file is no longer kept (files are removed after a day); upload it again.")
    assert job.state == JobState.FAILED and job.failure == expected
    response = preview(client, ledger)
    assert response.url == reverse("ledger_mapping", args=[ledger.pk])
    assert job.failure in shown_messages(response)
    ledger.refresh_from_db()
    assert ledger.checked is None


def test_a_small_file_is_still_checked_in_the_request(client, archivist):
    client.force_login(archivist)
    ledger = through_mapping(client, archivist)
    response = preview(client, ledger)
    assert response.context["checked"].importable and response.context["new_rows"] == ROWS
    assert not Job.objects.exists()
    ledger.refresh_from_db()
    assert ledger.checked is None


def test_a_checked_result_round_trips_through_json():
    checked = Checked(
        rows=2,
        problems=[Problem("第 4 行：日期无法识别", row=4, column="F"), Problem("缺少题名列")],
        problem_count=7,
        notes=["2 行未填分类，按页面所选填为 HTDL"],
        totals={"new": 1, "skip": 1},
        preview=[(3, {"题名": "甲", "成文日期": datetime.date(2023, 5, 6), "页数": 12}),
                 (5, {"题名": "乙", "成文日期": None, "页数": 3.5})],
        headers=["题名", "成文日期", "页数"],
    )
    back = checking.checked_from_json(json.loads(json.dumps(checking.checked_to_json(checked))))
    assert back.problems == checked.problems and back.problem_count == 7 and back.notes == checked.notes
    assert back.totals == checked.totals and back.headers == checked.headers and back.rows == 2
    assert back.preview == [(3, {"题名": "甲", "成文日期": "2023-05-06", "页数": 12}),
                            (5, {"题名": "乙", "成文日期": None, "页数": 3.5})]
    assert not back.importable


CONTRACT_ROWS = [
    ["市场部合同台帐（2024年）", None, None, None, None, None],
    ["序号", "合同号", "合同类型", "对方单位", "签订日期", "金额"],
    [1, "SCB-HW-2024-017", "户外广告制作合同", "杭州灯箱厂", "2024年5月6日", "8,500.50"],
    [2, "SCB-HW-2024-018", "户外广告制作合同", "宁波灯箱厂", 45418, 1200],
]
CLIENT_ROWS = [
    ["客户名录", None, None, None, None],
    ["序号", "客户名称", "客户类型", "联系人", "电话"],
    [1, "杭州灯箱厂", "代理商", "王伟", "0571-88886666"],
    [2, "宁波灯箱厂", "代理商", "张丽", "0574-66668888"],
]


@pytest.mark.parametrize("kind, rows", [("contracts", CONTRACT_ROWS), ("clients", CLIENT_ROWS)])
def test_the_background_check_of_other_ledgers_writes_nothing(client, archivist, large, run_jobs, settings, kind, rows):
    from clients.models import Client
    from contracts.models import Contract

    settings.ARCHIVE_IMPORT_DIRECT_ROWS = 1
    client.force_login(archivist)
    response = upload(client, make_xlsx(rows, merged=("A1:D1",)), name="台帐.xlsx", kind=kind)
    ledger = last_upload(archivist)
    client.get(response.url)
    mapping = client.get(reverse("ledger_mapping", args=[ledger.pk]))
    client.post(reverse("ledger_mapping", args=[ledger.pk]), mapping_post(mapping))
    preview(client, ledger)
    counts = [
        (model.objects.count(), model.history.count()) for model in (Record, Contract, Client)
    ]
    assert run_jobs() == 1
    assert check_jobs().get().state == JobState.SUCCEEDED
    assert [(model.objects.count(), model.history.count()) for model in (Record, Contract, Client)] == counts
    checked = preview(client, ledger).context["checked"]
    assert checked.importable and checked.totals["new"] == 2, checked.problems
