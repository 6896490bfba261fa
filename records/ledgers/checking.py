"""The preview of a large ledger, checked by a background job (issue 15).

A dry run of 100,000 rows takes minutes, longer than a web request may:
a file with more than settings.ARCHIVE_IMPORT_DIRECT_ROWS data rows is
checked by the worker (records.ledgers.jobs), whose progress is the rows
read, and the result is kept on the upload (LedgerUpload.checked) with the
plan it was made for. A result is current only while the upload's plan is
that plan (sheet, header row, mapping, fills): a changed plan discards it,
so a stale preview can never be confirmed. A small file is checked in the
request as before and nothing is kept.
"""
import datetime
import decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from core.history import save_with_history
from jobs.models import Job, JobState
from jobs.services import job_start
from records.exceptions import RecordActionRefused
from records.ledgers.types import Checked, Problem
from records.models import LedgerUpload, LedgerUploadState

LEDGER_CHECK = "records.ledger_check"
# The fields of an upload that make its plan; changing any discards a check.
PLAN_FIELDS = ("sheet_name", "header_row", "mapping", "fills")


def plan_key(plan):
    """The plan as JSON, compared with the one a kept check was made for."""
    return {
        "kind": plan.kind,
        "sheet_name": plan.sheet_name,
        "header_row": plan.header_row,
        "mapping": list(plan.mapping),
        "fills": dict(plan.fills),
    }


def data_rows(workbook, plan):
    """The sheet's non-blank rows below the header row (what decides
    between checking in the request and checking in the background)."""
    try:
        sheet = workbook.sheet(plan.sheet_name)
    except StopIteration:
        return 0
    return sum(
        1 for row in sheet.rows
        if row.number > plan.header_row and any(value not in (None, "") and str(value).strip() for value in row.cells)
    )


# --- Checked as JSON ------------------------------------------------------------------------------


def _json_value(value):
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    return str(value)


def checked_to_json(checked):
    return {
        "rows": checked.rows,
        "problems": [
            {"message": str(problem.message), "row": problem.row, "column": problem.column}
            for problem in checked.problems
        ],
        "problem_count": checked.problem_count,
        "notes": [str(note) for note in checked.notes],
        "totals": dict(checked.totals),
        "preview": [
            [number, {str(key): _json_value(value) for key, value in values.items()}]
            for number, values in checked.preview
        ],
        "headers": [str(header) for header in checked.headers],
    }


def checked_from_json(data):
    return Checked(
        rows=data["rows"],
        problems=[Problem(item["message"], row=item["row"], column=item["column"]) for item in data["problems"]],
        problem_count=data["problem_count"],
        notes=list(data["notes"]),
        totals=dict(data["totals"]),
        preview=[(number, dict(values)) for number, values in data["preview"]],
        headers=list(data["headers"]),
    )


# --- the kept check -------------------------------------------------------------------------------


def _current(upload, plan):
    """The upload's kept check when it was made for `plan`, else None."""
    kept = upload.checked
    if isinstance(kept, dict) and kept.get("plan") == plan_key(plan):
        return kept
    return None


def current_checked(upload, plan):
    """The kept result of checking `plan`: a Checked, or None when there is
    none for this plan (not checked, still running, or made for another)."""
    kept = _current(upload, plan)
    if kept is None or kept.get("result") is None:
        return None
    return checked_from_json(kept["result"])


def current_check_job(upload, plan):
    """The job checking `plan` (running or ended without a result), or None."""
    kept = _current(upload, plan)
    if kept is None or kept.get("result") is not None or not kept.get("job"):
        return None
    return Job.objects.filter(pk=kept["job"]).first()


def _locked_draft(upload, user):
    upload = LedgerUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.owner_id != user.pk or upload.state != LedgerUploadState.DRAFT:
        raise RecordActionRefused(_("This import was already confirmed or cancelled."))
    return upload


@transaction.atomic
def ledger_check_start(*, upload, user, plan, rows, title):
    """Start the background check of `plan` (`rows` data rows) and keep
    that it runs; the same plan asked again while it runs is the same job."""
    upload = _locked_draft(upload, user)
    key = plan_key(plan)
    job = job_start(
        kind=LEDGER_CHECK, owner=user, title=title, params={"upload": upload.pk, "plan": key, "rows": rows}
    )
    upload.checked = {"plan": key, "job": str(job.pk), "result": None}
    save_with_history(upload, by=user, update_fields=["checked"])
    return job


@transaction.atomic
def ledger_check_keep(*, upload_pk, job_pk, plan, checked):
    """Keep the job's result on the upload, only while the upload still
    waits for this job's check of this plan; True when kept."""
    upload = LedgerUpload.objects.select_for_update().filter(pk=upload_pk).first()
    if upload is None or upload.state != LedgerUploadState.DRAFT:
        return False
    kept = upload.checked
    if not isinstance(kept, dict) or kept.get("job") != str(job_pk) or kept.get("plan") != plan:
        return False
    kept = dict(kept, result=checked_to_json(checked))
    upload.checked = kept
    save_with_history(upload, update_fields=["checked"])
    return True


def ledger_check_forget(upload, *, by=None):
    """Discard a kept check (its job failed, or the plan changed)."""
    if upload.checked is not None:
        upload.checked = None
        save_with_history(upload, by=by, update_fields=["checked"])


def check_job_failed(job):
    return job is not None and job.state == JobState.FAILED


def is_large(rows):
    """A ledger of more than ARCHIVE_IMPORT_DIRECT_ROWS data rows is checked
    and imported by the background worker, not in the request."""
    return rows > settings.ARCHIVE_IMPORT_DIRECT_ROWS
