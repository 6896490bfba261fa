"""A large legacy ledger is imported by the worker (issue 15): more than
settings.ARCHIVE_IMPORT_DIRECT_ROWS data rows. The job reads the upload's
kept file again, asks whether its owner may still import that ledger, and
imports it through records.ledgers.run as the request would, all or
nothing. Its page shows the rows read (they are read outside the write
transaction, records.ledgers.run), then the write; the upload says how it
ended and its file is removed either way.

Such a file's preview is checked by the worker too (LEDGER_CHECK,
records.ledgers.checking): a dry run of the plan the check was started for,
its rows read counted on the job's page and on the preview, its result kept
on the upload while the upload still has that plan."""
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.exceptions import ActionRefused
from jobs.models import ProgressUnit
from jobs.registry import register_job_kind
from jobs.services import job_start
from records.ledgers import checking
from records.ledgers import run as ledger_run
from records.models import LedgerUpload, LedgerUploadState

LEDGER_IMPORT = "records.ledger_import"


def start_ledger_job(*, upload, user, kind, rows):
    return job_start(
        kind=LEDGER_IMPORT,
        owner=user,
        title=_("Import of %(file)s into %(ledger)s") % {"file": upload.original_name, "ledger": kind.label},
        params={"upload": upload.pk, "rows": rows},
    )


def _importing_upload(run):
    upload = LedgerUpload.objects.filter(pk=run.params["upload"]).first()
    if upload is None or upload.state != LedgerUploadState.IMPORTING:
        raise ActionRefused(_("This import was already finished or cancelled."))
    return upload


def run_ledger_import(run):
    upload = _importing_upload(run)
    try:
        ledger_run.ledger_kind_allowed(upload.kind, run.owner)
        totals = ledger_run.import_upload(upload, run.owner, progress=run.progress)
    except ActionRefused as refusal:
        _finish(upload, failure=refusal.message)
        raise
    except Exception:
        _finish(upload, failure=_("The import stopped because of an error in the archive system; nothing was imported."))
        raise
    rows = run.params.get("rows")
    if rows:
        run.progress(rows, rows, force=True)
    _finish(upload, totals=totals)
    run.summary = ledger_run.imported_summary(totals)


def _finish(upload, *, totals=None, failure=None):
    with transaction.atomic():
        ledger_run.ledger_upload_finish(upload=upload, totals=totals, failure=failure)


def start_check_job(*, upload, user, kind, plan, rows):
    return checking.ledger_check_start(
        upload=upload, user=user, plan=plan, rows=rows,
        title=_("Check of %(file)s for %(ledger)s") % {"file": upload.original_name, "ledger": kind.label},
    )


def _checked_upload(run):
    """The draft upload whose plan is still the one the check is for."""
    upload = LedgerUpload.objects.filter(pk=run.params["upload"]).first()
    if upload is None or upload.state != LedgerUploadState.DRAFT:
        raise ActionRefused(_("This import was already confirmed or cancelled."))
    plan = ledger_run.ledger_upload_plan(upload)
    if checking.plan_key(plan) != run.params["plan"]:
        raise ActionRefused(_("The columns were changed after the check started; this check was dropped."))
    return upload, plan


def run_ledger_check(run):
    upload, plan = _checked_upload(run)
    ledger_run.ledger_kind_allowed(upload.kind, run.owner)
    workbook = ledger_run.ledger_upload_workbook(upload)
    checked = ledger_run.check_ledger(workbook, plan, run.owner, progress=run.progress)
    del workbook
    run.progress(checked.rows, checked.rows, force=True)
    if not checking.ledger_check_keep(upload_pk=upload.pk, job_pk=run.job.pk, plan=run.params["plan"], checked=checked):
        raise ActionRefused(_("The columns were changed after the check started; this check was dropped."))
    run.summary = ngettext(
        "Checked %(rows)s rows: %(count)d problem.", "Checked %(rows)s rows: %(count)d problems.", checked.problem_count
    ) % {"rows": f"{checked.rows:,}", "count": checked.problem_count}


def register_ledger_job():
    register_job_kind(LEDGER_IMPORT, run_ledger_import, unit=ProgressUnit.ROWS)
    register_job_kind(checking.LEDGER_CHECK, run_ledger_check, unit=ProgressUnit.ROWS)
