"""Text recognition of scanned files as a background job (issue 17).

At upload `mark_for_ocr` flags a scan (records.files.ocr.needs_ocr) as
waiting and `start_ocr` queues the job; the job (`run_ocr`) reads the
original through the storage API, keeps a searchable PDF copy beside it
(the original is never replaced) and puts the recognised text where an
attachment's text goes for search, so saving it re-indexes the record
(records.search.indexing). A failure is kept with its reason in words, and
the archivist may start it again (`attachment_ocr_retry`)."""
import logging
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ActionRefused
from core.history import save_with_history
from core.stored_files import COPY_CHUNK, open_seekable, open_streamed
from jobs.models import ProgressUnit
from jobs.registry import register_job_kind
from jobs.services import job_start
from records.attachments import remove_unless_committed
from records.files.ocr import IMAGE_TYPES, RecognitionFailed, needs_ocr, recognise
from records.files.types import ALLOWED_TYPES, PDF
from records.maintenance.files import file_digest
from records.models import Attachment, OcrFailure, OcrState
from records.policies import may_retry_ocr
from records.previews import bare_mime

logger = logging.getLogger(__name__)

OCR_JOB = "records.ocr"


class OcrRetryRefused(ActionRefused):
    pass


def register_ocr_job():
    register_job_kind(OCR_JOB, run_ocr, unit=ProgressUnit.FILES)


def mark_for_ocr(attachment, uploaded_file, file_type):
    """Before the first save: a scan waits for recognition, anything else
    needs none."""
    wanted = needs_ocr(file_type, uploaded_file, attachment.extracted_text)
    attachment.ocr_state = OcrState.WAITING if wanted else OcrState.NOT_NEEDED


def start_ocr(attachment, *, by):
    """Queue the job (in the caller's transaction: it runs once committed)."""
    return job_start(
        kind=OCR_JOB, owner=by, params={"attachment": attachment.pk},
        title=_("Text recognition of “%(name)s”") % {"name": attachment.original_name},
    )


@transaction.atomic
def attachment_ocr_retry(*, attachment, by):
    attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
    if not may_retry_ocr(by, attachment):
        raise OcrRetryRefused(_("Text recognition of this file cannot be started again."))
    attachment.ocr_state, attachment.ocr_failure, attachment.ocr_finished_at = OcrState.WAITING, "", None
    save_with_history(attachment, by=by, update_fields=["ocr_state", "ocr_failure", "ocr_finished_at"])
    return start_ocr(attachment, by=by)


def scans_to_check():
    """Files stored before recognition existed (or marked as needing none)
    that are still there, images and PDFs only: what `queue_existing_scan`
    looks at."""
    image_or_pdf = [file_type.mime for file_type in ALLOWED_TYPES if file_type.code in {*IMAGE_TYPES, PDF.code}]
    return Attachment.objects.filter(
        ocr_state=OcrState.NOT_NEEDED, destroyed_at__isnull=True, content_type__in=image_or_pdf
    ).order_by("pk")


@transaction.atomic
def queue_existing_scan(*, attachment, by):
    """A stored file read again as at upload (needs_ocr): a scan waits for
    recognition and its job is queued for `by`; returns the job, or None
    when the file needs none (or was queued meanwhile)."""
    attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
    if attachment.ocr_state != OcrState.NOT_NEEDED or attachment.destroyed_at is not None:
        return None
    file_type = _file_type(attachment)
    if file_type is None:
        return None
    try:
        stored = open_seekable(attachment.file.storage, attachment.file.name)
    except OSError:
        return None  # missing or unreadable: the file check reports it
    with stored:
        if not needs_ocr(file_type, stored, attachment.extracted_text):
            return None
    attachment.ocr_state = OcrState.WAITING
    save_with_history(attachment, by=by, update_fields=["ocr_state"])
    return start_ocr(attachment, by=by)


def run_ocr(run):
    """The job: one file, recognised or failed with its reason."""
    attachment = Attachment.objects.filter(pk=run.params["attachment"]).first()
    if attachment is None or attachment.destroyed_at is not None or attachment.ocr_state not in (
        OcrState.WAITING, OcrState.RUNNING  # RUNNING: the worker stopped mid-way and runs it again
    ):
        run.summary = _("Nothing to recognise: the file is gone or was read already.")
        return
    _set_state(attachment, OcrState.RUNNING)
    run.progress(0, 1, force=True)
    work_root = Path(settings.JOBS_TMP_DIR)
    work_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ocr-", dir=work_root) as work_dir:
        try:
            source = _copy_original(attachment, Path(work_dir))
            file_type = _file_type(attachment)
            is_image = file_type is not None and file_type.code in IMAGE_TYPES
            recognised = recognise(source, work_dir, is_image=is_image, timeout=_timeout())
        except RecognitionFailed as failure:
            logger.warning("OCR of attachment %s failed (%s): %s", attachment.pk, failure.reason, failure.detail)
            _set_state(attachment, OcrState.FAILED, failure=failure.reason)
            raise ActionRefused(
                _("Text recognition of “%(name)s” failed: %(reason)s.")
                % {"name": attachment.original_name, "reason": OcrFailure(failure.reason).label}
            ) from None
        _keep_result(attachment, recognised)
    run.progress(1, 1, force=True)
    run.summary = _("Text of “%(name)s” recognised; the record is found by it in search.") % {
        "name": attachment.original_name
    }


def _copy_original(attachment, work_dir):
    suffix = Path(attachment.original_name).suffix.lower()[:16]
    target = work_dir / f"original{suffix}"
    try:
        with open_streamed(attachment.file.storage, attachment.file.name) as stored, open(target, "wb") as out:
            shutil.copyfileobj(stored, out, COPY_CHUNK)
    except FileNotFoundError:
        raise RecognitionFailed(OcrFailure.MISSING) from None
    except OSError as error:
        raise RecognitionFailed(OcrFailure.MISSING, str(error)) from None
    return target


def _file_type(attachment):
    """The allowed type the file was stored as (by its MIME type), or None."""
    mime = bare_mime(attachment.content_type)
    return next((file_type for file_type in ALLOWED_TYPES if file_type.mime == mime), None)


def _timeout():
    return settings.ARCHIVE_OCR_TIMEOUT_SECONDS


def _set_state(attachment, state, *, failure=""):
    attachment.ocr_state, attachment.ocr_failure = state, failure
    fields = ["ocr_state", "ocr_failure"]
    if state in (OcrState.DONE, OcrState.FAILED):
        attachment.ocr_finished_at = timezone.now()
        fields.append("ocr_finished_at")
    save_with_history(attachment, update_fields=fields)


@transaction.atomic
def _keep_result(attachment, recognised):
    """The searchable copy beside the original, and its text for search
    (saving the attachment re-indexes its record)."""
    attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
    if attachment.destroyed_at is not None:
        return  # destroyed with its record while it was read (R-DISP-3): nothing is kept
    with open(recognised.pdf_path, "rb") as pdf:
        attachment.ocr_copy_sha256 = file_digest(pdf)[0]
        pdf.seek(0)
        attachment.ocr_copy.save(f"{Path(attachment.original_name).stem}.pdf", File(pdf), save=False)
    remove_unless_committed(attachment.ocr_copy, columns=((Attachment, "ocr_copy"),))
    # A scanned PDF's few words of its own (a stamp) stay before the recognised text.
    attachment.extracted_text = "\n\n".join(part for part in (attachment.extracted_text, recognised.text) if part)
    attachment.ocr_state, attachment.ocr_failure, attachment.ocr_finished_at = OcrState.DONE, "", timezone.now()
    save_with_history(attachment)
