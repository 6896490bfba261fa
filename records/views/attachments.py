"""Electronic files of records: upload, download, preview and thumbnail.

Files have no URL of their own (private storage); these views are the only
way in and out, and both start from `records.selectors.visible_records`, so a
record the user may not see answers 404 (R-LEND-4, R-ACCESS)."""
import logging

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.stored_files import open_streamed, stored_file_response
from core.text import join_items
from core.views import gate, refusal_to_form, refusal_to_message
from records import previews
from records.access_log import log_access
from records.attachments import AttachmentRefused, add_attachment, screen_uploads
from records.exceptions import RecordActionRefused
from records.files.types import PDF
from records.forms_batch import BatchSubmissionForm
from records.models import AccessAction, Attachment
from records.ocr import OcrRetryRefused, attachment_ocr_retry
from records.policies import may_add_attachment, may_retry_ocr, may_submit
from records.services import record_create
from records.selectors import visible_records

logger = logging.getLogger(__name__)

UPLOAD_FIELD = "file"


#: Content-Security-Policy of a file shown inline (attachment_preview):
#: nothing may load or run but the file itself. Chromium shows a PDF with
#: its own viewer, which a sandbox or object-src 'none' would block.
PREVIEW_POLICY = {
    "application/pdf": "default-src 'none'; object-src 'self'; frame-ancestors 'none'",
    "image": "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'",
}


def _visible_attachment(request, pk):
    """The attachment `pk` of a record the user may see, with its file
    still there; 404 otherwise, never saying whether it exists (R-LEND-4)."""
    attachment = get_object_or_404(
        Attachment.objects.select_related("record").filter(record__in=visible_records(request.user)), pk=pk
    )
    if attachment.destroyed_at is not None:
        # Destroyed with its record (R-DISP-3): only the tombstone is left.
        raise Http404("The file was destroyed.")
    return attachment


def _opened(attachment, stored):
    """The stored file (the original or its searchable copy), open for
    streaming: on object storage it is relayed as it downloads, through
    this permission-checked view (no public URL)."""
    try:
        return open_streamed(stored.storage, stored.name)
    except FileNotFoundError:
        logger.error(
            "File %s of attachment %s of record %s is missing from storage.",
            stored.name, attachment.pk, attachment.record_id,
        )
        raise Http404("The file is missing from storage.") from None


def _serve(request, attachment, *, inline, where="", searchable_copy=False):
    """The file (or, with `searchable_copy`, the PDF text recognition made
    of it) as a response; a GET of a confidential record's file is logged
    first (R-ACCESS), a HEAD sends no content and is not."""
    if searchable_copy:
        stored, content_type = attachment.ocr_copy, PDF.mime
        filename = _("%(stem)s (searchable).pdf") % {"stem": attachment.original_name.rsplit(".", 1)[0]}
    else:
        stored, content_type, filename = attachment.file, attachment.content_type, attachment.original_name
    handle = _opened(attachment, stored)
    if request.method == "GET":
        log_access(
            user=request.user, record=attachment.record, action=AccessAction.DOWNLOAD, attachment=attachment,
            where=where,
        )
    return stored_file_response(handle, as_attachment=not inline, filename=filename, content_type=content_type)


@require_safe
def attachment_download(request, pk):
    """Serves a file of a record the user may see, as a download that the
    browser neither renders nor sniffs. A download of a confidential
    record's file is logged first (R-ACCESS). A destroyed file (a
    tombstone, R-DISP-3) is not found."""
    response = _serve(request, _visible_attachment(request, pk), inline=False)
    # Should a browser render it anyway, it runs no script and has no origin.
    response["Content-Security-Policy"] = "sandbox"
    return response


@require_safe
def attachment_ocr_copy(request, pk):
    """The searchable PDF made by text recognition (records.ocr), through
    the original's checks and access log (R-ACCESS, R-LEND-4); shown in the
    browser like a PDF original."""
    attachment = _visible_attachment(request, pk)
    if not attachment.ocr_copy:
        raise Http404("This file has no searchable copy.")
    response = _serve(request, attachment, inline=True, where=_("Searchable copy"), searchable_copy=True)
    response["Content-Security-Policy"] = PREVIEW_POLICY[PDF.mime]
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def attachment_ocr_retry_view(request, pk):
    """Starts a failed text recognition again (the archivist's button)."""
    attachment = _visible_attachment(request, pk)
    gate(may_retry_ocr(request.user, attachment))
    try:
        attachment_ocr_retry(attachment=attachment, by=request.user)
    except OcrRetryRefused as refusal:
        refusal_to_message(request, refusal)
    else:
        messages.success(
            request, _("Text recognition of “%(name)s” started again.") % {"name": attachment.original_name}
        )
    return redirect("record_detail", pk=attachment.record_id)


@require_safe
def attachment_preview(request, pk):
    """Shows a PDF or an image in the browser (inline), with the download's
    checks and its access log (R-ACCESS, R-LEND-4); other files are not
    shown inline (404: the record page offers their download only)."""
    attachment = _visible_attachment(request, pk)
    if not previews.is_previewable(attachment):
        raise Http404("This file is not shown in the browser.")
    response = _serve(request, attachment, inline=True, where=_("Preview"))
    mime = previews.bare_mime(attachment.content_type)
    response["Content-Security-Policy"] = PREVIEW_POLICY.get(mime, PREVIEW_POLICY["image"])
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def attachment_thumbnail(request, pk):
    """The small picture of a file on the record page (records.previews):
    a confidential record's file shows its type icon only, so its content
    is never seen without a logged preview or download (R-ACCESS)."""
    attachment = _visible_attachment(request, pk)
    picture = previews.thumbnail(attachment, show_content=not attachment.record.is_confidential)
    response = HttpResponse(picture.content, content_type=picture.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; style-src 'unsafe-inline'"
    response["Cache-Control"] = "private, max-age=3600"
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


@require_http_methods(["GET", "HEAD", "POST"])
def submission_batch(request):
    """Several files become several drafts in one go, one per file, titled
    after the file's name (R-FILE-2). A refused file is named with its
    reason and the others still become drafts; every draft is edited and
    submitted from 我的提交."""
    gate(may_submit(request.user))
    form = BatchSubmissionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        accepted, refused = screen_uploads(form.cleaned_data["files"])
        try:
            drafts = _drafts_from_files(request.user, form, accepted)
        except (RecordActionRefused, AttachmentRefused) as refusal:
            refusal_to_form(form, refusal)
        else:
            _report_batch(request, drafts, refused)
            return redirect(f"{reverse('my_submissions')}?state=draft")
    return render(request, "records/filing/submission_batch.html", {"form": form})


@transaction.atomic
def _drafts_from_files(user, form, uploaded_files):
    """One draft per file, all or none."""
    return [
        record_create(by=user, data=form.draft_data(uploaded_file), files=[uploaded_file])
        for uploaded_file in uploaded_files
    ]


def _report_batch(request, drafts, refused):
    for refusal in refused:
        messages.error(request, refusal.message)
    if drafts:
        messages.success(
            request,
            ngettext(
                "%(count)d draft made: %(titles)s. Check its title and description, then submit it.",
                "%(count)d drafts made: %(titles)s. Check their titles and descriptions, then submit them.",
                len(drafts),
            )
            % {"count": len(drafts), "titles": join_items(f"«{draft.record.title}»" for draft in drafts)},
        )
    for draft in drafts:
        for added in draft.added:
            if added.warning:
                messages.warning(request, added.warning)
