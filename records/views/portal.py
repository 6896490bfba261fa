"""The staff portal: home, record list, record detail, attachment download.

Every read starts from `records.selectors.visible_records`, so a record the
user may not see is simply not found (404, never 403: the portal does not
reveal that a hidden record exists, R-LEND-4 / R-ACCESS)."""
import logging

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from records.history import history_rows
from records.filters import count_by_status
from records.models import Attachment, RecordStatus
from records.selectors import newest_visible_records, visible_records

logger = logging.getLogger(__name__)


# Where the paper is, read from the record's status; who holds a loan comes
# with lending (R-LEND-1).
CUSTODY_BY_STATUS = {
    RecordStatus.FILED: ("shelf", _("On the shelf")),
    RecordStatus.ON_LOAN: ("loan", _("On loan")),
    RecordStatus.MISSING: ("missing", _("Missing")),
}
NOT_YET_RECEIVED = ("pending", _("Not yet received"))
OFF_THE_BOOKS = ("off_books", _("Off the books"))  # void, written off, weeded, destroyed


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
