"""The legacy-ledger import wizard's screens (issue 15): upload → sheet →
header row and mapping → preview → confirm → done (or the job page of a
large file). The wizard turns the department's sheet into the columns of
the ledger's resource and imports it all-or-nothing through that resource
(records.ledgers.run); these views only ask, show and pass the user's plan
on.

Access: the upload page is offered to whoever may import at least one kind
(each kind's may_import, the back office's rule); every later step opens
only the user's own upload of a kind they may still import, 404 otherwise
(core.views.gate with hide=True). A refused file or plan reaches the user
through core.views.refusal_to_form / refusal_to_message."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from openpyxl.utils import get_column_letter

from core.exceptions import ActionRefused
from core.history import save_with_history
from core.views import gate, refusal_to_form, refusal_to_message
from jobs.models import JobState
from records.forms_ledger import (
    ROW_TABLE_COLUMNS,
    HeaderRowForm,
    LedgerUploadForm,
    MappingForm,
    SheetForm,
    TemplateChoiceForm,
    column_samples,
    first_rows,
    row_table,
)
from records.ledgers import checking
from records.ledgers import run as ledger_run
from records.ledgers.headers import find_header_row, header_labels, propose_mapping
from records.ledgers.jobs import start_check_job
from records.ledgers.kinds import ledger_kind, ledger_kinds_for
from records.ledgers.types import LedgerPlan
from records.models import LedgerTemplate, LedgerUpload, LedgerUploadState

GET_OR_POST = ["GET", "HEAD", "POST"]
RECENT_UPLOADS = 5
# Where each kind's rows are seen once imported.
LIST_URL_NAMES = {"records": "record_list", "contracts": "contract_ledger", "clients": "client_list"}
CHECK_REFRESH_SECONDS = 3  # the preview of a file checked in the background reloads itself


def _posted(request):
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def _kind_of(upload, user):
    try:
        kind = ledger_kind(upload.kind)
    except KeyError:
        kind = None
    gate(kind is not None and kind.may_import(user), hide=True)
    return kind


def _own_upload(request, pk):
    """The user's own upload of a kind they may import; 404 otherwise."""
    upload = get_object_or_404(LedgerUpload.objects.select_related("job"), pk=pk)
    gate(upload.owner_id == request.user.pk, hide=True)
    return upload, _kind_of(upload, request.user)


def _remember(request, upload, **fields):
    """Keep the plan chosen so far on the draft upload (the wizard's own
    row, not the archive's data: no rule to check beyond its owner, which
    _own_upload did). A changed plan discards a kept check of the old one
    (records.ledgers.checking): a stale preview is never confirmed."""
    if any(getattr(upload, name) != fields[name] for name in checking.PLAN_FIELDS if name in fields):
        fields["checked"] = None
    for name, value in fields.items():
        setattr(upload, name, value)
    save_with_history(upload, by=request.user, update_fields=list(fields))


def _workbook_or_refusal(request, upload):
    """The upload's workbook, or None after saying why it cannot be read
    (the stored file was cleared, say)."""
    try:
        return ledger_run.ledger_upload_workbook(upload)
    except ActionRefused as refusal:
        refusal_to_message(request, refusal)
        return None


def _not_a_draft(upload):
    return upload.state != LedgerUploadState.DRAFT


# --- 1 upload -------------------------------------------------------------------------------


@require_http_methods(GET_OR_POST)
def ledger_upload(request):
    """Choose the ledger and the file; the file is checked as it is stored."""
    kinds = ledger_kinds_for(request.user)
    gate(bool(kinds))
    form = LedgerUploadForm(*_posted(request), kinds=kinds, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        try:
            upload = ledger_run.ledger_upload_start(
                user=request.user, kind=form.cleaned_data["kind"].code, file=form.cleaned_data["file"]
            )
        except ActionRefused as refusal:
            refusal.field = refusal.field or "file"
            refusal_to_form(form, refusal)
        else:
            return redirect("ledger_sheet", upload.pk)
    unfinished = LedgerUpload.objects.filter(
        owner=request.user, state=LedgerUploadState.DRAFT, kind__in=[kind.code for kind in kinds]
    ).order_by("-created_at")[:RECENT_UPLOADS]
    return render(request, "records/ledger_import/upload.html", {"form": form, "unfinished": unfinished})


# --- 2 sheet ---------------------------------------------------------------------------------


@require_http_methods(GET_OR_POST)
def ledger_sheet(request, pk):
    """Pick the sheet when several hold data; otherwise go straight on."""
    upload, kind = _own_upload(request, pk)
    if _not_a_draft(upload):
        return redirect("ledger_done", upload.pk)
    workbook = _workbook_or_refusal(request, upload)
    if workbook is None:
        return redirect("ledger_upload")
    sheets = workbook.sheets_with_data()
    if len(sheets) == 1:
        # Chosen when the file was kept (ledger_upload_start): nothing to ask.
        return redirect("ledger_mapping", upload.pk)
    form = SheetForm(
        request.POST if request.method == "POST" else None,
        sheets=[sheet for sheet, _count in sheets],
        initial={"sheet": upload.sheet_name or None},
    )
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["sheet"]
        if name != upload.sheet_name:
            _remember(request, upload, sheet_name=name, header_row=None, mapping=[])
        return redirect("ledger_mapping", upload.pk)
    return render(
        request,
        "records/ledger_import/sheet.html",
        {"upload": upload, "kind": kind, "form": form, "sheets": sheets},
    )


# --- 3 header row and mapping -------------------------------------------------------------------


def _templates(kind):
    return LedgerTemplate.objects.filter(kind=kind.code).order_by("name")


def _header_row(upload, sheet, kind):
    """(header row, found): the row the user chose, else the one the
    wizard finds, else the first non-blank row (found is then False)."""
    if upload.header_row:
        return upload.header_row, True
    detected = find_header_row(sheet, kind)
    if detected is not None:
        return detected, True
    rows = first_rows(sheet)
    return (rows[0].number if rows else 1), False


def _mapping_form(request, upload, sheet, kind, header_row):
    headers = list(header_labels(sheet, header_row))
    headers += [""] * (sheet.width - len(headers))
    samples = column_samples(sheet, header_row, len(headers))
    # Columns past the last one with a header or a value are not offered
    # (a sheet's formatting can stretch it far to the right).
    width = max((index + 1 for index, header in enumerate(headers) if header or samples[index]), default=1)
    headers, samples = headers[:width], samples[:width]
    if request.method == "POST" and request.POST.get("step") == "mapping":
        return MappingForm(request.POST, kind=kind, headers=headers, samples=samples)
    if upload.header_row == header_row and upload.mapping:
        mapping = list(upload.mapping)
    else:
        mapping = list(propose_mapping(sheet, header_row, kind))
    mapping = (mapping + [""] * width)[:width]
    initial = MappingForm.initial_for(mapping, upload.fills)
    return MappingForm(initial=initial, kind=kind, headers=headers, samples=samples)


def _change_header_row(request, upload, sheet, kind, row_numbers):
    form = HeaderRowForm(request.POST, row_numbers=row_numbers)
    if form.is_valid():
        header_row = form.cleaned_data["header_row"]
        _remember(request, upload, header_row=header_row, mapping=list(propose_mapping(sheet, header_row, kind)))
        messages.success(request, _("Row %(row)d is read as the header row.") % {"row": header_row})
    return redirect("ledger_mapping", upload.pk)


def _apply_template(request, upload, sheet, kind, header_row):
    form = TemplateChoiceForm(request.POST, templates=_templates(kind))
    if form.is_valid():
        template = form.cleaned_data["template"]
        mapping = list(propose_mapping(sheet, header_row, kind, template_mapping=template.mapping))
        _remember(request, upload, header_row=header_row, mapping=mapping, fills=dict(template.fills))
        messages.success(request, _("The template “%(name)s” was applied.") % {"name": template.name})
    return redirect("ledger_mapping", upload.pk)


def _save_plan(request, upload, kind, form, header_row, workbook):
    """Keep the plan and, when named, save it as a template; False (with
    the form's error set) when the template is refused."""
    plan = LedgerPlan(
        kind=kind.code, sheet_name=upload.sheet_name, header_row=header_row,
        mapping=form.mapping(), fills=form.fills(),
    )
    _remember(request, upload, header_row=header_row, mapping=plan.mapping, fills=plan.fills)
    name = form.cleaned_data.get("template_name")
    if not name:
        return True
    try:
        ledger_run.ledger_template_save(
            user=request.user, kind=kind.code, name=name, plan=plan, workbook=workbook
        )
    except ActionRefused as refusal:
        refusal.field = refusal.field or "template_name"
        refusal_to_form(form, refusal)
        return False
    messages.success(request, _("The mapping was saved as the template “%(name)s”.") % {"name": name})
    return True


@require_http_methods(GET_OR_POST)
def ledger_mapping(request, pk):
    """Which row holds the headers, which field each column feeds, what is
    filled from the page; apply or save a template."""
    upload, kind = _own_upload(request, pk)
    if _not_a_draft(upload):
        return redirect("ledger_done", upload.pk)
    if not upload.sheet_name:
        return redirect("ledger_sheet", upload.pk)
    workbook = _workbook_or_refusal(request, upload)
    if workbook is None:
        return redirect("ledger_upload")
    sheet = workbook.sheet(upload.sheet_name)
    header_row, found = _header_row(upload, sheet, kind)
    rows = first_rows(sheet, header_row)
    step = request.POST.get("step") if request.method == "POST" else None
    if step == "header":
        return _change_header_row(request, upload, sheet, kind, [row.number for row in rows])
    if step == "template":
        return _apply_template(request, upload, sheet, kind, header_row)
    form = _mapping_form(request, upload, sheet, kind, header_row)
    if step == "mapping" and form.is_valid() and _save_plan(request, upload, kind, form, header_row, workbook):
        return redirect("ledger_preview", upload.pk)
    templates = _templates(kind)
    context = {
        "upload": upload,
        "kind": kind,
        "header_row": header_row,
        "header_found": found,
        "rows": row_table(rows, sheet.width),
        "letters": [get_column_letter(index + 1) for index in range(min(sheet.width, ROW_TABLE_COLUMNS))],
        "form": form,
        "template_form": TemplateChoiceForm(templates=templates) if templates.exists() else None,
        "several_sheets": len(workbook.sheets_with_data()) > 1,
    }
    return render(request, "records/ledger_import/mapping.html", context)


# --- 4 preview and confirm ------------------------------------------------------------------------


def _preview_table(checked):
    return [(number, [values.get(header, "") for header in checked.headers]) for number, values in checked.preview]


def _checking_page(request, upload, kind, job):
    """The preview while the worker checks a large file: the rows read so
    far, a link to the job's page; the page reloads until the result is in."""
    total = job.total if job.total is not None else job.params.get("rows", 0)
    context = {
        "upload": upload,
        "kind": kind,
        "job": job,
        "progress": _("Checking “%(name)s”… %(done)s of %(total)s rows read.") % {
            "name": upload.original_name, "done": f"{job.done:,}", "total": f"{total:,}"
        },
        "refresh_seconds": CHECK_REFRESH_SECONDS,
    }
    return render(request, "records/ledger_import/checking.html", context)


def _check(request, upload, kind, plan):
    """(Checked, None) of the plan, checked here for a small file; (None,
    the job checking it) for a large one, started here when none runs."""
    workbook = ledger_run.ledger_upload_workbook(upload)
    rows = checking.data_rows(workbook, plan)
    if checking.is_large(rows):
        del workbook
        return None, start_check_job(upload=upload, user=request.user, kind=kind, plan=plan, rows=rows)
    return ledger_run.check_ledger(workbook, plan, request.user), None


@require_safe
def ledger_preview(request, pk):
    """A dry run of the plan: every problem at once (up to MAX_PROBLEMS),
    what was filled in, how many rows are new, the first rows. A file of
    more than ARCHIVE_IMPORT_DIRECT_ROWS data rows is checked by the worker:
    this page shows how far it is until the result is kept."""
    upload, kind = _own_upload(request, pk)
    if _not_a_draft(upload):
        return redirect("ledger_done", upload.pk)
    if not upload.header_row or not upload.mapping:
        return redirect("ledger_mapping", upload.pk)
    plan = ledger_run.ledger_upload_plan(upload)
    checked = checking.current_checked(upload, plan)
    job = None if checked else checking.current_check_job(upload, plan)
    if job is not None and job.state == JobState.FAILED:
        checking.ledger_check_forget(upload, by=request.user)
        messages.error(request, job.failure)
        return redirect("ledger_mapping", upload.pk)
    if checked is None and (job is None or job.is_finished):
        try:
            checked, job = _check(request, upload, kind, plan)
        except ActionRefused as refusal:
            refusal_to_message(request, refusal)
            return redirect("ledger_mapping", upload.pk)
    if checked is None:
        return _checking_page(request, upload, kind, job)
    context = {
        "upload": upload,
        "kind": kind,
        "checked": checked,
        "unlisted": checked.problem_count - len(checked.problems),
        "new_rows": checked.totals.get("new", 0),
        "skipped_rows": checked.totals.get("skip", 0),
        "preview_rows": _preview_table(checked),
    }
    return render(request, "records/ledger_import/preview.html", context)


@require_POST
def ledger_confirm(request, pk):
    """Import for real: in this request for a small file, as a background
    job (its page shows the progress) for a large one."""
    upload, kind = _own_upload(request, pk)
    if _not_a_draft(upload):
        return redirect("ledger_done", upload.pk)
    try:
        outcome, result = ledger_run.ledger_upload_confirm(upload=upload, user=request.user)
    except ActionRefused as refusal:
        refusal_to_message(request, refusal)
        return redirect("ledger_preview", upload.pk)
    if outcome == "job":
        messages.info(request, _("The file is imported in the background; this page shows how far it is."))
        return redirect("job_detail", result.pk)
    added = result.get("new", 0)
    messages.success(
        request, ngettext("%(count)d row was imported.", "%(count)d rows were imported.", added) % {"count": added}
    )
    return redirect("ledger_done", upload.pk)


# --- 5 done, cancel ---------------------------------------------------------------------------------


@require_safe
def ledger_done(request, pk):
    upload, kind = _own_upload(request, pk)
    if upload.state == LedgerUploadState.DRAFT:
        return redirect("ledger_mapping", upload.pk)
    context = {"upload": upload, "kind": kind, "list_url_name": LIST_URL_NAMES.get(kind.code)}
    return render(request, "records/ledger_import/done.html", context)


@require_POST
def ledger_cancel(request, pk):
    """Drop the upload and its file; nothing was imported."""
    upload, _kind = _own_upload(request, pk)
    if _not_a_draft(upload):
        return redirect("ledger_done", upload.pk)
    try:
        ledger_run.ledger_upload_cancel(upload=upload, user=request.user)
    except ActionRefused as refusal:
        refusal_to_message(request, refusal)
        return redirect("ledger_preview", upload.pk)
    messages.success(request, _("The import of “%(name)s” was cancelled; nothing was imported.") % {"name": upload.original_name})
    return redirect("ledger_upload")
