"""Checking and importing a legacy ledger through its kind's resource
(issue 15), and the wizard's services on a stored upload.

The wizard does not replace the resources: the sheet, read by the user's
plan, becomes the dataset a back-office file would be (records.ledgers
.convert), and the kind's resource checks it (a dry run, the preview) and
imports it, all or nothing, as the back office does. Every problem is
collected, in the user's terms (row and column as Excel shows them,
records.ledgers.layout), sorted by row and column; a library's own English
error never reaches a message: it is worded here and logged.

A large file (more than settings.ARCHIVE_IMPORT_DIRECT_ROWS data rows) is
checked and imported by background jobs (records.ledgers.jobs), whose pages
show the rows read; the write itself is the resource's one transaction at
the end. Its import is confirmed only on a kept, current check without
problems (records.ledgers.checking).
"""
import io
from dataclasses import dataclass
from uuid import uuid4

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from core.history import save_with_history
from records.exceptions import RecordActionRefused
from records.import_files import import_file_storage
from records.imports import ImportFileRefused
from records.ledgers.checking import current_checked, is_large
from records.ledgers.convert import to_dataset
from records.ledgers.headers import header_labels
from records.ledgers.kinds import ledger_kind
from records.ledgers.layout import laid_out
from records.ledgers.results import LeanResult, refusal, result_problems, sorted_problems, watch_rows, worded_failure
from records.ledgers.types import MAX_PROBLEMS, PREVIEW_ROWS, Checked, LedgerPlan, Problem
from records.ledgers.workbook import read_workbook
from records.models import LedgerTemplate, LedgerUpload, LedgerUploadState



@dataclass
class _Converted:
    kind: object
    dataset: object
    layout: object
    problems: list
    notes: list


def _convert(workbook, plan):
    try:
        kind = ledger_kind(plan.kind)
        sheet = workbook.sheet(plan.sheet_name)
    except (KeyError, StopIteration):
        raise ImportFileRefused(_("The chosen sheet or ledger is not in this file; start the import again.")) from None
    if not plan.header_row:
        raise ImportFileRefused(_("Choose the row that holds the column headers."))
    dataset, layout, problems, notes = to_dataset(sheet, plan, kind)
    if not len(dataset):
        problems.append(Problem(_("There are no data rows below the header row (row %(row)d).") % {"row": plan.header_row}))
    return _Converted(kind, dataset, layout, problems, notes)


def _run_resource(converted, user, *, dry_run, name, progress=None):
    """The resource's import of the converted dataset; its problems."""
    resource = converted.kind.make_resource(user)
    watch_rows(resource, len(converted.dataset), progress)
    resource.get_result_class = lambda: LeanResult
    with laid_out(converted.layout), worded_failure():
        if dry_run and progress is not None:
            # A watched check (the background preview) reads its rows
            # outside a transaction, so its progress can be seen:
            # import_export's own dry run without transactions, in which
            # nothing is saved (the resources' bulk_create writes nothing
            # on a dry run either).
            result = resource.import_data_inner(
                converted.dataset, True, False, False, False, file_name=name, user=user
            )
        else:
            result = resource.import_data(
                converted.dataset,
                dry_run=dry_run,
                raise_errors=False,
                # A watched import reads its rows outside a transaction, so its
                # progress can be seen; the resources write in one transaction
                # of their own at the end, only when no row failed (bulk_create).
                use_transactions=progress is None,
                rollback_on_validation_errors=True,
                file_name=name,
                user=user,
            )
        problems = result_problems(result, resource, converted.layout)
    return result, problems


def _totals(result):
    return {"new": result.totals.get("new", 0), "skip": result.totals.get("skip", 0)}


def check_ledger(workbook, plan, user, progress=None):
    """A dry run of `plan` on `workbook`: every problem at once (up to
    MAX_PROBLEMS, with the count of all), the notes, the totals and the
    first rows. Writes nothing. `progress(done, total)` is told the rows
    read (outside a transaction: the check job's page shows them)."""
    converted = _convert(workbook, plan)
    problems = list(converted.problems)
    totals = {"new": 0, "skip": 0}
    whole_file = any(problem.row is None for problem in problems)
    if len(converted.dataset) and not whole_file:
        result, found = _run_resource(
            converted, user, dry_run=True, name=workbook.original_name, progress=progress
        )
        problems.extend(found)
        totals = _totals(result)
    problems = sorted_problems(problems)
    dataset, layout = converted.dataset, converted.layout
    preview = [
        (layout.row_numbers[index], dict(zip(dataset.headers, dataset[index])))
        for index in range(min(PREVIEW_ROWS, len(dataset)))
    ]
    return Checked(
        rows=len(dataset),
        problems=problems[:MAX_PROBLEMS],
        problem_count=len(problems),
        notes=converted.notes,
        totals=totals,
        preview=preview,
        headers=list(dataset.headers or []),
    )


def _import_converted(converted, user, name, progress=None):
    if converted.problems:
        raise refusal(converted.problems)
    result, problems = _run_resource(converted, user, dry_run=False, name=name, progress=progress)
    if problems:
        raise refusal(problems)
    return _totals(result)


def import_ledger(workbook, plan, user, progress=None):
    """Import `plan` on `workbook`, all or nothing; {"new": n, "skip": n}.
    Raises ImportFileRefused (nothing written) when anything is wrong.
    `progress(done, total)` is told the rows read."""
    return _import_converted(_convert(workbook, plan), user, workbook.original_name, progress)


def import_upload(upload, user, progress=None):
    """import_ledger of an upload's kept file and plan. The workbook is let
    go once converted: a 200,000-row sheet is not held while its rows are
    written (the background job's way, records.ledgers.jobs)."""
    workbook = ledger_upload_workbook(upload)
    name = workbook.original_name
    converted = _convert(workbook, ledger_upload_plan(upload))
    del workbook
    return _import_converted(converted, user, name, progress)


# --- the wizard's services on a stored upload ---------------------------------------------


def ledger_kind_allowed(kind_code, user):
    """The kind `kind_code` when `user` may import it; refused otherwise."""
    try:
        kind = ledger_kind(kind_code)
    except KeyError:
        kind = None
    if kind is None or not kind.may_import(user):
        raise RecordActionRefused(_("You may not import this kind of ledger."))
    return kind


def ledger_upload_start(*, user, kind, file):
    """Keep an uploaded ledger for the wizard's steps; the file is read
    once here, so a file that cannot be imported is refused at once."""
    kind = ledger_kind_allowed(getattr(kind, "code", kind), user)
    name = getattr(file, "name", "") or ""
    file.seek(0)
    data = file.read()
    sheets = read_workbook(io.BytesIO(data), name).sheets_with_data()
    stored_name = import_file_storage().save(uuid4().hex, ContentFile(data))
    upload = LedgerUpload(owner=user, kind=kind.code, stored_name=stored_name, original_name=name[:255])
    if len(sheets) == 1:
        upload.sheet_name = sheets[0][0].name  # nothing to choose: the sheet step only passes on
    return save_with_history(upload, by=user)


def ledger_upload_workbook(upload):
    """The upload's workbook, read again from the kept file."""
    storage = import_file_storage()
    if not upload.stored_name or not storage.exists(upload.stored_name):
        raise ImportFileRefused(
            _("The uploaded file is no longer kept (files are removed after a day); upload it again.")
        )
    with storage.open(upload.stored_name, "rb") as file:
        return read_workbook(io.BytesIO(file.read()), upload.original_name)


def ledger_upload_plan(upload):
    return LedgerPlan(
        kind=upload.kind,
        sheet_name=upload.sheet_name,
        header_row=upload.header_row or 0,
        mapping=list(upload.mapping or []),
        fills=dict(upload.fills or {}),
    )


@transaction.atomic
def ledger_template_save(*, user, kind, name, plan, workbook):
    """Save the plan's mapping, by header text, and its fills as the
    template `name`; the same person saving the same name again replaces
    it (next year's file)."""
    kind = ledger_kind_allowed(getattr(kind, "code", kind), user)
    name = (name or "").strip()
    if not name:
        raise RecordActionRefused(_("Give the template a name."), field="template_name")
    labels = header_labels(workbook.sheet(plan.sheet_name), plan.header_row)
    # A column set to "not imported" is kept as "" so that next year's file
    # does not map it again by its name (propose_mapping honours it).
    mapping = {label: field or "" for label, field in zip(labels, plan.mapping) if label and str(label).strip()}
    template = LedgerTemplate.objects.select_for_update().filter(kind=kind.code, name=name).first()
    if template is None:
        template = LedgerTemplate(kind=kind.code, name=name, owner=user)
    elif template.owner_id != user.pk:
        raise RecordActionRefused(
            _("Someone else saved a template named “%(name)s”; choose another name.") % {"name": name},
            field="template_name",
        )
    template.mapping = mapping
    template.fills = dict(plan.fills)
    return save_with_history(template, by=user)


def _locked_draft(upload, user):
    upload = LedgerUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.owner_id != user.pk:
        raise RecordActionRefused(_("This import was started by someone else."))
    if upload.state != LedgerUploadState.DRAFT:
        raise RecordActionRefused(_("This import was already confirmed or cancelled."))
    return upload


def _remove_file_on_commit(upload):
    stored_name = upload.stored_name
    if stored_name:
        transaction.on_commit(lambda: remove_upload_file(stored_name))


def remove_upload_file(stored_name):
    storage = import_file_storage()
    try:
        storage.delete(stored_name)
    except FileNotFoundError:
        pass


@transaction.atomic
def ledger_upload_confirm(*, upload, user):
    """Import the upload: ("done", totals) when it has at most
    ARCHIVE_IMPORT_DIRECT_ROWS data rows, else ("job", job) after starting
    the background import. Refused (nothing written) when any problem is
    found."""
    upload = _locked_draft(upload, user)
    kind = ledger_kind_allowed(upload.kind, user)
    plan = ledger_upload_plan(upload)
    checked = current_checked(upload, plan)
    if checked is not None and is_large(checked.rows):
        return "job", _start_import_job(upload, user, kind, checked)
    workbook = ledger_upload_workbook(upload)
    converted = _convert(workbook, plan)
    if converted.problems:
        raise refusal(converted.problems)
    if is_large(len(converted.dataset)):
        # A large file is confirmed only on its kept check of this plan.
        raise RecordActionRefused(_(
            "This file has not been checked with these columns yet: open the preview and wait until the check is done."
        ))
    totals = _import_converted(converted, user, workbook.original_name)
    ledger_upload_finish(upload=upload, totals=totals)
    return "done", totals


def _start_import_job(upload, user, kind, checked):
    """The background import of a large file whose kept check of the
    current plan found no problem."""
    if not checked.importable:
        raise RecordActionRefused(
            _("The check found problems in the file: nothing can be imported until they are fixed.")
        )
    from records.ledgers.jobs import start_ledger_job  # jobs.py imports this module

    job = start_ledger_job(upload=upload, user=user, kind=kind, rows=checked.rows)
    upload.state = LedgerUploadState.IMPORTING
    upload.job = job
    save_with_history(upload, by=user, update_fields=["state", "job"])
    return job


def imported_summary(totals):
    return _("Imported: %(new)d new rows, %(skip)d rows already in the archive left as they were.") % {
        "new": totals.get("new", 0), "skip": totals.get("skip", 0)
    }


def ledger_upload_finish(*, upload, totals=None, failure=None):
    """Record how an import ended and let go of its file."""
    upload.state = LedgerUploadState.FAILED if failure else LedgerUploadState.IMPORTED
    upload.summary = str(failure) if failure else imported_summary(totals)
    _remove_file_on_commit(upload)
    save_with_history(upload, update_fields=["state", "summary"])
    return upload


@transaction.atomic
def ledger_upload_cancel(*, upload, user):
    """Drop a draft upload and its file; nothing was imported."""
    upload = _locked_draft(upload, user)
    upload.state = LedgerUploadState.CANCELLED
    _remove_file_on_commit(upload)
    save_with_history(upload, by=user, update_fields=["state"])
    return upload
