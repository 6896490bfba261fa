"""Electronic files of records: who may add one, and the upload service.

`add_attachment` checks a file (size, type read from its content, the name
agreeing with it), stores it in the private storage, reads its text for
search and flags files already in the archive (same SHA-256). It runs in
the caller's transaction; a file stored by a transaction that then rolls
back is removed again (see `RemoveUnlessCommitted`, which the documents
app uses for its own files too).
"""
import hashlib
import logging
import weakref
from dataclasses import dataclass, field
from os.path import splitext

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from core.exceptions import ActionRefused
from core.history import save_with_history
from core.text import join_clauses
from records import files
from records.models import Attachment, OcrState, Record
from records.policies import CLOSED_STATES, may_add_attachment
from records.selectors import visible_records

logger = logging.getLogger(__name__)

MAX_NAME_LENGTH = Attachment._meta.get_field("original_name").max_length


class AttachmentRefused(ActionRefused):
    """The file is not accepted. The message names the file and the reason,
    is translated, and is meant for the user."""


@dataclass
class AddedAttachment:
    attachment: Attachment
    #: Other records the uploader may see that already have the same file.
    duplicates: list = field(default_factory=list)
    #: The same file is on records the uploader may not see (not named).
    duplicate_elsewhere: bool = False
    #: This record already had the same file.
    duplicate_here: bool = False

    @property
    def warning(self):
        """A translated sentence about duplicates, or '' when there are none."""
        name = self.attachment.original_name
        sentences = []
        if self.duplicate_here:
            sentences.append(_("“%(name)s” is identical to a file this record already has.") % {"name": name})
        if self.duplicates:
            sentences.append(
                _("“%(name)s” is identical to a file of %(records)s.")
                % {"name": name, "records": join_clauses(self.duplicates)}
            )
        if self.duplicate_elsewhere:
            sentences.append(_("“%(name)s”: an identical file is already in the archive.") % {"name": name})
        return " ".join(sentences)


def max_upload_bytes():
    return settings.ARCHIVE_MAX_UPLOAD_MB * 1024 * 1024


@dataclass(frozen=True)
class UploadForm:
    """What the upload partial (records/_attachment_upload.html) shows."""

    action: str
    max_mb: int
    accept: str
    allowed_types: str


def upload_form(user, record):
    """The upload form for the record page, or None when `user` may not add
    files to `record`. The record page puts it in its context as
    `attachment_upload`."""
    if not may_add_attachment(user, record):
        return None
    return UploadForm(
        action=reverse("attachment_upload", args=[record.pk]),
        max_mb=settings.ARCHIVE_MAX_UPLOAD_MB,
        accept=",".join(files.allowed_extensions()),
        allowed_types=files.allowed_types_label(),
    )


def clean_file_name(name):
    """The bare file name: no directories (a browser may send a whole path),
    no control characters, at most the field's length with the extension
    kept."""
    name = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if char.isprintable()).strip()
    if len(name) > MAX_NAME_LENGTH:
        stem, extension = splitext(name)
        extension = extension[:16]
        name = stem[: MAX_NAME_LENGTH - len(extension)] + extension
    return name


@transaction.atomic
def add_attachment(*, record, uploaded_file, by):
    """Check, store and catalogue one electronic file of `record`.

    Refuses (AttachmentRefused, nothing stored) a record that is void or
    gone, an empty file, one over ARCHIVE_MAX_UPLOAD_MB, content of a type
    not allowed, and a name whose extension disagrees with the content.
    Who may upload is the caller's check (`may_add_attachment`)."""
    record = Record.objects.select_for_update().get(pk=record.pk)
    name = clean_file_name(uploaded_file.name)
    if record.status in CLOSED_STATES:
        raise _refused(name, _("the record is %(status)s and takes no new files."), status=record.get_status_display())
    sha256, size = digest_upload(uploaded_file, name)
    identified = identify_upload(uploaded_file, name)
    text = _extracted_text(uploaded_file, identified.file_type, name)

    attachment = Attachment(
        record=record,
        original_name=name,
        size=size,
        content_type=identified.content_type,
        sha256=sha256,
        uploaded_by=by,
        extracted_text=text,
    )
    # A scan waits for text recognition, queued once the row is saved (issue 17);
    # imported here because records.ocr imports this module.
    from records.ocr import mark_for_ocr, start_ocr

    mark_for_ocr(attachment, uploaded_file, identified.file_type)
    attachment.file.save(name, uploaded_file, save=False)
    cleanup = remove_unless_committed(attachment.file, columns=ATTACHMENT_FILES)
    try:
        save_with_history(attachment, by=by)
        added = _with_duplicates(attachment, by)
        if attachment.ocr_state == OcrState.WAITING:
            start_ocr(attachment, by=by)
    except BaseException:
        cleanup.remove_now()
        raise
    return added


def screen_uploads(uploaded_files):
    """Split chosen files into those `add_attachment` would take and the
    refusals of the others (size, emptiness and type, read from the
    content), so a form can keep the good files when one is refused.
    Stores nothing; each file is rewound for the upload proper."""
    accepted, refusals = [], []
    for uploaded_file in uploaded_files:
        name = clean_file_name(uploaded_file.name)
        try:
            digest_upload(uploaded_file, name)
            identify_upload(uploaded_file, name)
        except AttachmentRefused as refusal:
            refusals.append(refusal)
        else:
            accepted.append(uploaded_file)
        finally:
            uploaded_file.seek(0)
    return accepted, refusals


def _refused(name, reason, **values):
    return AttachmentRefused(_("“%(name)s” was refused: %(reason)s") % {"name": name, "reason": reason % values})


def digest_upload(uploaded_file, name):
    """SHA-256 and size, read in chunks; stops reading past the limit."""
    limit = max_upload_bytes()
    too_large = _("it is larger than the limit of %(limit)d MB.")
    declared = getattr(uploaded_file, "size", None)
    if declared is not None and declared > limit:
        raise _refused(name, too_large, limit=settings.ARCHIVE_MAX_UPLOAD_MB)
    sha256, size = hashlib.sha256(), 0
    for chunk in uploaded_file.chunks():
        sha256.update(chunk)
        size += len(chunk)
        if size > limit:
            raise _refused(name, too_large, limit=settings.ARCHIVE_MAX_UPLOAD_MB)
    if size == 0:
        raise _refused(name, _("the file is empty."))
    return sha256.hexdigest(), size


def identify_upload(uploaded_file, name):
    try:
        return files.identify(uploaded_file, name)
    except files.ContentNotAllowed as error:
        raise _refused(
            name,
            _("its content is %(detected)s, which is not an allowed type. Allowed types: %(allowed)s."),
            detected=error.description,
            allowed=files.allowed_types_label(),
        ) from None
    except files.NameMismatch as error:
        if not error.extension:
            reason = _("its content is of type %(detected)s, but its name has no extension; name it *%(expected)s.")
        else:
            reason = _(
                "its content is of type %(detected)s, but its name ends in “%(extension)s”; name it *%(expected)s."
            )
        raise _refused(
            name,
            reason,
            detected=error.file_type.label,
            extension=error.extension,
            expected=" / *".join(error.file_type.extensions),
        ) from None


def _extracted_text(uploaded_file, file_type, name):
    """Text for search; a file whose text cannot be read is still kept."""
    try:
        return files.extract_text(uploaded_file, file_type)
    except files.ExtractionSkipped as reason:
        logger.warning("No text extracted from %r: %s.", name, reason)
    except Exception:
        logger.warning("Text extraction from %r failed; the file is kept without text.", name, exc_info=True)
    return ""


def _with_duplicates(attachment, by):
    """Other files with the same SHA-256: records `by` may see are named,
    the others only flagged, so a hidden record is not revealed (R-LEND-4)."""
    same = Attachment.objects.filter(sha256=attachment.sha256).exclude(pk=attachment.pk)
    record_ids = set(same.values_list("record_id", flat=True))
    duplicate_here = attachment.record_id in record_ids
    record_ids.discard(attachment.record_id)
    visible = list(visible_records(by).filter(pk__in=record_ids).order_by("pk")) if record_ids else []
    return AddedAttachment(
        attachment=attachment,
        duplicates=visible,
        duplicate_elsewhere=len(visible) < len(record_ids),
        duplicate_here=duplicate_here,
    )


# The file columns RemoveUnlessCommitted asks about for an attachment.
ATTACHMENT_FILES = ((Attachment, "file"),)


class RemoveUnlessCommitted:
    """Removes a stored file when the transaction that stored it does not
    commit.

    Django has no on-rollback hook, so `confirm` is registered with
    `transaction.on_commit`. On commit Django calls it and the file stays.
    On a rollback (of the whole transaction, or of a savepoint around the
    upload) Django drops it uncalled, and the object's finalizer runs when
    it is garbage-collected (at once in CPython). The finalizer does not take the
    drop as proof: Django also drops the later callbacks of a transaction
    that did commit when an earlier one raises. So it asks the database,
    through a fresh connection that sees only committed rows, whether a row
    points at the file (`columns`: (model, file field) pairs), and deletes
    the file only if none does.
    """

    def __init__(self, storage, name, using=DEFAULT_DB_ALIAS, *, columns=ATTACHMENT_FILES):
        self.using = using
        self._storage, self._name = storage, name
        self._finalizer = weakref.finalize(self, _remove_if_not_committed, storage, name, using, tuple(columns))
        self._finalizer.atexit = False

    def confirm(self):
        """Called on commit: the file belongs to a committed row."""
        self._finalizer.detach()

    def remove_now(self):
        """The upload failed inside the service: no row will point at it."""
        self._finalizer.detach()
        self._storage.delete(self._name)


def remove_unless_committed(field_file, *, columns):
    """The file just stored in `field_file` goes again unless the current
    transaction commits with a row of `columns` pointing at it."""
    using = router.db_for_write(field_file.instance.__class__)
    cleanup = RemoveUnlessCommitted(field_file.storage, field_file.name, using, columns=columns)
    transaction.on_commit(cleanup.confirm, using=using, robust=True)
    return cleanup


def _remove_if_not_committed(storage, name, using, columns):
    try:
        if not _committed_row_points_at(name, using, columns):
            storage.delete(name)
    except Exception:
        logger.exception("Could not check or remove the uncommitted file %r.", name)


def _committed_row_points_at(name, using, columns):
    # The thread's own connection may be in the middle of rolling back; a
    # separate one answers from committed data only.
    connection = connections.create_connection(using)
    try:
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for model, field in columns:
                table, column = quote(model._meta.db_table), quote(model._meta.get_field(field).column)
                cursor.execute(f"SELECT 1 FROM {table} WHERE {column} = %s", [name])
                if cursor.fetchone() is not None:
                    return True
        return False
    finally:
        connection.close()
