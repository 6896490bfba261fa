"""A large legacy ledger is imported by the worker (issue 15): more than
settings.ARCHIVE_IMPORT_DIRECT_ROWS data rows. The job reads the upload's
kept file again, asks whether its owner may still import that ledger, and
imports it through records.ledgers.run as the request would, all or
nothing. Its page shows the rows read (they are read outside the write
transaction, records.ledgers.run), then the write; the upload says how it
ended and its file is removed either way."""
from django.db import transaction
from django.utils.translation import gettext as _

from core.exceptions import ActionRefused
from jobs.models import ProgressUnit
from jobs.registry import register_job_kind
from jobs.services import job_start
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


def register_ledger_job():
    register_job_kind(LEDGER_IMPORT, run_ledger_import, unit=ProgressUnit.ROWS)
