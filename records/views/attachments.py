"""Electronic files of records: upload and download.

Files have no URL of their own (private storage); these views are the only
way in and out, and both start from `records.selectors.visible_records`, so a
record the user may not see answers 404 (R-LEND-4, R-ACCESS)."""
import logging

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from core.text import join_items
from core.views import gate, refusal_to_message
from records.access_log import log_access
from records.attachments import AttachmentRefused, add_attachment
from records.models import AccessAction, Attachment
from records.policies import may_add_attachment
from records.selectors import visible_records

logger = logging.getLogger(__name__)

UPLOAD_FIELD = "file"


@require_safe
def attachment_download(request, pk):
    """Serves a file of a record the user may see, as a download that the
    browser neither renders nor sniffs. A download of a confidential
    record's file is logged first (R-ACCESS). A destroyed file (a
    tombstone, R-DISP-3) is not found."""
    attachment = get_object_or_404(
        Attachment.objects.select_related("record").filter(record__in=visible_records(request.user)), pk=pk
    )
    if attachment.destroyed_at is not None:
        # Destroyed with its record (R-DISP-3): only the tombstone is left.
        raise Http404("The file was destroyed.")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        logger.error(
            "Attachment %s of record %s is missing from storage.", attachment.pk, attachment.record_id
        )
        raise Http404("The file is missing from storage.") from None
    if request.method == "GET":  # HEAD sends no content
        log_access(user=request.user, record=attachment.record, action=AccessAction.DOWNLOAD, attachment=attachment)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Should a browser render it anyway, it runs no script and has no origin.
    response["Content-Security-Policy"] = "sandbox"
    return response


@require_POST
def attachment_upload(request, pk):
    """Adds the posted files to a record, all or none: a refused file names
    itself and its reason, and nothing is kept."""
    record = get_object_or_404(visible_records(request.user), pk=pk)
    gate(may_add_attachment(request.user, record))
    files = request.FILES.getlist(UPLOAD_FIELD)
    if not files:
        messages.error(request, _("Choose a file to upload."))
        return redirect("record_detail", pk=record.pk)
    try:
        with transaction.atomic():
            added = [add_attachment(record=record, uploaded_file=file, by=request.user) for file in files]
    except AttachmentRefused as refusal:
        if len(files) > 1:
            refusal = AttachmentRefused(" ".join([refusal.message, _("None of the files was saved.")]))
        refusal_to_message(request, refusal)
        return redirect("record_detail", pk=record.pk)
    messages.success(
        request,
        ngettext("%(count)d file added: %(names)s.", "%(count)d files added: %(names)s.", len(added))
        % {"count": len(added), "names": join_items(item.attachment.original_name for item in added)},
    )
    for item in added:
        if item.warning:
            messages.warning(request, item.warning)
    return redirect("record_detail", pk=record.pk)
