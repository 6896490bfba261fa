"""The staff portal: home, record list, record detail, attachment download.

Every read starts from `records.selectors.visible_records`, so a record the
user may not see is simply not found (404, never 403: the portal does not
reveal that a hidden record exists, R-LEND-4 / R-ACCESS)."""
import datetime
import logging

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from simple_history.models import DeletedObject

from records.filters import RecordFilterForm, count_by_status, filter_records
from records.models import Attachment, Record, RecordStatus
from records.models.choices import retention_label
from records.selectors import newest_visible_records, visible_records

logger = logging.getLogger(__name__)

RECORDS_PER_PAGE = 25

# Where the paper is, read from the record's status; who holds a loan comes
# with lending (R-LEND-1).
CUSTODY_BY_STATUS = {
    RecordStatus.FILED: ("shelf", _("On the shelf")),
    RecordStatus.ON_LOAN: ("loan", _("On loan")),
    RecordStatus.MISSING: ("missing", _("Missing")),
}
NOT_YET_RECEIVED = ("pending", _("Not yet received"))
OFF_THE_BOOKS = ("off_books", _("Off the books"))  # void, written off, weeded, destroyed

# Bookkeeping columns that change on every save and say nothing to a reader.
HISTORY_HIDDEN_FIELDS = {"id", "created_at", "updated_at", "status_changed_at"}
HISTORY_COMPUTED_FIELDS = ("archive_number", "retention_expires_on")
HISTORY_TYPE_LABELS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


@require_safe
def home(request):
    visible = visible_records(request.user)
    return render(
        request,
        "records/home.html",
        {
            "records": newest_visible_records(request.user),
            "status_counts": count_by_status(visible),
        },
    )


@require_safe
def record_list(request):
    form = RecordFilterForm(request.GET or None)
    records = filter_records(visible_records(request.user), form)
    page = Paginator(records, RECORDS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "records/record_list.html",
        {"form": form, "page_obj": page, "records": page.object_list},
    )


@require_safe
def record_detail(request, pk):
    record = get_object_or_404(
        visible_records(request.user).select_related(
            "category", "location", "department", "submitted_by", "filed_by"
        ),
        pk=pk,
    )
    custody_code, custody_label = custody_of(record)
    return render(
        request,
        "records/record_detail.html",
        {
            "record": record,
            "custody_code": custody_code,
            "custody_label": custody_label,
            "attachments": record.attachments.select_related("uploaded_by"),
            "history": history_rows(record),
        },
    )


@require_safe
def attachment_download(request, pk):
    """Attachments have no public URL; this view is the only way out, and it
    only serves files of records the user may see."""
    attachment = get_object_or_404(
        Attachment.objects.filter(record__in=visible_records(request.user)), pk=pk
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        logger.error(
            "Attachment %s of record %s is missing from storage.", attachment.pk, attachment.record_id
        )
        raise Http404("The file is missing from storage.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def custody_of(record):
    """Where the paper is, as (code, label), read from the status."""
    if record.status in RecordStatus.before_filing():
        return NOT_YET_RECEIVED
    return CUSTODY_BY_STATUS.get(record.status, OFF_THE_BOOKS)


def history_rows(record):
    """The record's history, newest first, each entry with the fields it
    changed against the entry before it (old → new, as a reader sees them)."""
    entries = list(record.history.select_related("history_user"))
    rows = []
    for index, entry in enumerate(entries):
        previous = entries[index + 1] if index + 1 < len(entries) else None
        rows.append(
            {
                "date": entry.history_date,
                "user": entry.history_user,
                "type": HISTORY_TYPE_LABELS.get(entry.history_type, entry.history_type),
                "reason": entry.history_change_reason,
                "changes": _changes(entry, previous) if previous is not None else [],
            }
        )
    return rows


def _changes(entry, previous):
    delta = entry.diff_against(previous, excluded_fields=HISTORY_HIDDEN_FIELDS, foreign_keys_are_objs=True)
    changed = {change.field: (change.old, change.new) for change in delta.changes}
    # diff_against compares editable fields only; the archive number and the
    # retention end are set by services, and a reader wants to see them move.
    for name in HISTORY_COMPUTED_FIELDS:
        old, new = getattr(previous, name), getattr(entry, name)
        if old != new:
            changed[name] = (old, new)
    return [
        {
            "name": field.name,
            "field": field.verbose_name,
            "old": _display_value(field, changed[field.name][0]),
            "new": _display_value(field, changed[field.name][1]),
        }
        for field in Record._meta.fields
        if field.name in changed
    ]


def _display_value(field, value):
    if field.name == "retention_years":
        return retention_label(value)  # no value means permanent
    if isinstance(value, DeletedObject):
        # diff_against gives an empty foreign key as a "deleted" object.
        return None if value.pk is None else value
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    return value
