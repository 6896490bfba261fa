"""Large back-office exports are made by a background job (issue 16: long
work shows progress, never a silent wait): an export of more than
ARCHIVE_EXPORT_DIRECT_ROWS rows takes the reader to the job's page, which
counts the rows written and offers the file when it is ready.

The job keeps the export page's own input (the list's filters from the
address, the chosen format and columns, the selected rows) and the worker
asks the admin again, as the person who asked: what they may export
(get_export_queryset, the resource's visibility) is decided when the file
is written, and the access log names them (R-ACCESS, R-CLIENT)."""
from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.forms import MultipleChoiceField, MultipleHiddenInput
from django.shortcuts import redirect
from django.test import RequestFactory
from django.utils.translation import gettext as _

from core.exceptions import ActionRefused
from core.middleware import TOKEN_FIELD as DOWNLOAD_TOKEN_FIELD
from core.text import join_clauses
from jobs.models import ProgressUnit
from jobs.registry import register_job_kind
from jobs.services import job_start

ADMIN_EXPORT = "records.admin_export"
# The export form's fields kept for the worker; the CSRF and download
# tokens are not.
FORM_FIELDS_SKIPPED = ("csrfmiddlewaretoken", DOWNLOAD_TOKEN_FIELD)


def export_in_background(model_admin, request, queryset, file_format):
    """Start the job for a long export, or None when it is short enough to
    write in the request."""
    row_count = queryset.count()
    if row_count <= settings.ARCHIVE_EXPORT_DIRECT_ROWS:
        return None
    app_label, model_name = model_admin.get_model_info()
    job = job_start(
        kind=ADMIN_EXPORT, owner=request.user,
        title=_("Export of %(list)s (%(format)s)") % {
            "list": model_admin.model._meta.verbose_name_plural, "format": file_format.get_title().upper(),
        },
        params={
            "model": f"{app_label}.{model_name}",
            "query": request.GET.urlencode(),
            "form": {key: request.POST.getlist(key) for key in request.POST if key not in FORM_FIELDS_SKIPPED},
        },
    )
    messages.info(
        request,
        _("%(count)d rows: the file is being written in the background. You may leave this page; "
          "“My jobs” keeps the file when it is ready.") % {"count": row_count},
    )
    return redirect("job_detail", job.pk)


def _request_for(run):
    query = run.params["query"]
    request = RequestFactory().post(f"/?{query}" if query else "/", data=run.params["form"])
    request.user = run.owner
    return request


def _export_form(model_admin, request):
    """The export page's form, bound to what the reader chose, as
    ImportExportMixin.export_action builds it."""
    form = model_admin.get_export_form_class()(
        model_admin.get_export_formats(), model_admin.get_export_resource_classes(request), data=request.POST,
    )
    if "export_items" in request.POST:
        form.fields["export_items"] = MultipleChoiceField(
            widget=MultipleHiddenInput, required=False,
            choices=[(pk, pk) for pk in model_admin.get_valid_export_item_pks(request)],
        )
    if not form.is_valid():
        problems = [str(error) for errors in form.errors.values() for error in errors]
        raise ActionRefused(_("The export's choices are no longer valid: %(problems)s")
                            % {"problems": join_clauses(problems)})
    return form


def run_admin_export(run):
    model_admin = admin.site._registry[apps.get_model(run.params["model"])]
    request = _request_for(run)
    if not model_admin.has_export_permission(request):
        raise ActionRefused(_("You may no longer export this list."))
    form = _export_form(model_admin, request)
    queryset = model_admin.get_export_queryset(request)
    if "export_items" in form.changed_data:
        queryset = queryset.filter(pk__in=form.cleaned_data["export_items"])
    file_format = model_admin.get_export_formats()[int(form.cleaned_data["format"])]()
    total = queryset.count()
    run.progress(0, total, force=True)
    data = model_admin.get_export_data(
        file_format, request, queryset, encoding=model_admin.to_encoding, export_form=form,
        progress=lambda done: run.progress(done, total),
    )
    output = run.output(model_admin.get_export_filename(request, queryset, file_format),
                        file_format.get_content_type())
    output.write(data if isinstance(data, bytes) else data.encode(model_admin.to_encoding or "utf-8"))
    run.summary = _("%(count)d rows exported.") % {"count": total}


def register_export_job():
    register_job_kind(ADMIN_EXPORT, run_admin_export, unit=ProgressUnit.ROWS)
