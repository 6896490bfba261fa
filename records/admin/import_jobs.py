"""Large back-office imports are confirmed into a background job: the
preview (django-import-export's dry run) is shown in the request as always,
and a confirmed file of more than ARCHIVE_IMPORT_DIRECT_ROWS rows is
imported by the worker, all or nothing, as the person who confirmed it.

The job carries the confirmation's fields; the worker checks them again
(signature, the uploader, a day at most: records.import_files), asks the
admin whether that person may still import, and imports the claimed file
through the same code as a confirmation in the request
(SafeImportExportMixin._import_claimed_file). The import runs in one
transaction, so its page shows no row count until it ends (other
connections cannot see inside it); it says how it ended, row by row when a
row was refused."""
from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.test import RequestFactory
from django.utils.translation import gettext as _
from import_export.signals import post_import

from core.exceptions import ActionRefused
from core.text import join_clauses
from jobs.models import ProgressUnit
from jobs.registry import register_job_kind
from jobs.services import job_start
from records.imports import CONFIRMATION_STALE, error_messages

ADMIN_IMPORT = "records.admin_import"
# The confirmation's own fields; nothing else of the POST is kept.
CONFIRMATION_FIELDS = ("import_file_name", "original_file_name", "format", "resource", "signature")


def import_in_background(model_admin, request, storage, confirm_form, row_count):
    """Start the job for a claimed file, or None when it is short enough to
    import in the request."""
    if row_count <= settings.ARCHIVE_IMPORT_DIRECT_ROWS:
        return None
    app_label, model_name = model_admin.get_model_info()
    job = job_start(
        kind=ADMIN_IMPORT, owner=request.user,
        title=_("Import of %(file)s into %(list)s") % {
            "file": confirm_form.cleaned_data["original_file_name"],
            "list": model_admin.model._meta.verbose_name_plural,
        },
        params={
            "model": f"{app_label}.{model_name}",
            "claimed_file": storage.name,
            "rows": row_count,
            "confirmation": {name: request.POST.get(name, "") for name in CONFIRMATION_FIELDS},
        },
    )
    messages.info(
        request,
        _("%(count)d rows: the import runs in the background, all or nothing. You may leave this page.")
        % {"count": row_count},
    )
    return redirect("job_detail", job.pk)


def _request_for(run):
    request = RequestFactory().post("/", data=run.params["confirmation"])
    request.user = run.owner
    return request


def run_admin_import(run):
    model_admin = admin.site._registry[apps.get_model(run.params["model"])]
    request = _request_for(run)
    if not model_admin.has_import_permission(request):
        raise ActionRefused(_("You may no longer import into this list."))
    confirm_form = model_admin.create_confirm_form(request)
    storage = model_admin.get_tmp_storage_class()(
        name=run.params["claimed_file"], **model_admin.get_tmp_storage_class_kwargs()
    )
    try:
        if not confirm_form.is_valid():
            raise ActionRefused(join_clauses([str(error) for error in confirm_form.non_field_errors()]))
        result = model_admin._import_claimed_file(storage, confirm_form, request)
    finally:
        storage.remove()
    if result is None:
        raise ActionRefused(str(CONFIRMATION_STALE))
    if result.has_errors() or result.has_validation_errors():
        raise ActionRefused(join_clauses(error_messages(result) or [str(CONFIRMATION_STALE)]))
    model_admin.generate_log_entries(result, request)
    post_import.send(sender=None, model=model_admin.model)
    rows = run.params["rows"]
    run.progress(rows, rows, force=True)
    run.summary = _("Import finished: %(new)d new, %(updated)d updated, %(skipped)d unchanged.") % {
        "new": result.totals.get("new", 0),
        "updated": result.totals.get("update", 0),
        "skipped": result.totals.get("skip", 0),
    }


def register_import_job():
    register_job_kind(ADMIN_IMPORT, run_admin_import, unit=ProgressUnit.ROWS)
