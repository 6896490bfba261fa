"""Staff hand items in for filing (R-FILE-2): draft, edit and submit; the
archivist returns a submitted item with a reason (R-FILE-3)."""
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.text import join_items
from records import notices, policies
from records.attachments import add_attachment
from records.exceptions import RecordActionRefused
from records.history import ChangeReason
from records.models import Record, RecordStatus
from records.services._common import (
    REASON_MAX_LENGTH,
    _field_error,
    _label,
    _locked,
    _save,
    _save_description,
)


@dataclass
class Submission:
    """A created or edited submission and the files added to it; each added
    file says which other visible records hold the same file."""

    record: Record
    added: list = field(default_factory=list)


def _apply_submission(record, data):
    """Set the submitted fields on `record` and check them as the model
    does; refuses with a message naming the field."""
    unknown = sorted(set(data) - set(policies.SUBMISSION_FIELDS))
    if unknown:
        raise RecordActionRefused(_("These fields cannot be set on a submission: %(fields)s.") % {"fields": join_items(unknown)})
    for name, value in data.items():
        setattr(record, name, value)
    if not record.category.is_active:
        raise RecordActionRefused(
            _("The class %(category)s is no longer in use; choose another.") % {"category": record.category}
        )
    if "retention_years" not in data:
        # Unless the submitter chose one, the class decides (R-FILE-6).
        record.retention_years = record.category.default_retention_years
    # The archive year is the year of the document; undated material is
    # filed under the year it is handed in.
    record.year = record.document_date.year if record.document_date else timezone.localdate().year
    _check_submission(record)


def _check_submission(record):
    try:
        record.full_clean(
            exclude=[f.name for f in Record._meta.fields if f.name not in (*policies.SUBMISSION_FIELDS, "year")],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        raise RecordActionRefused(
            " ".join(_field_error(name, messages) for name, messages in exc.message_dict.items())
        ) from None
    if record.copies < 1:
        raise RecordActionRefused(_("%(field)s: at least one.") % {"field": _label("copies")})


def _with_files(record, *, files, by, submit):
    """Add the files to a saved submission and, if asked, submit it."""
    added = [add_attachment(record=record, uploaded_file=uploaded, by=by) for uploaded in files]
    if submit:
        record = record_submit(record=record, by=by)
    return Submission(record=record, added=added)


@transaction.atomic
def record_create(*, by, data, files=(), submit=False):
    """Staff hand in an item for filing: the description, the electronic
    files, and either keep it as a draft or submit it at once (R-FILE-2).
    A refused file (records.attachments.AttachmentRefused) propagates and
    rolls back everything, the record included."""
    if not policies.may_submit(by):
        raise RecordActionRefused(_("Only staff of the archive's department can hand in items for filing."))
    record = Record(status=RecordStatus.DRAFT, submitted_by=by, department=by.department)
    _apply_submission(record, data)
    _save(record, ChangeReason.DRAFTED, by)
    return _with_files(record, files=files, by=by, submit=submit)


@transaction.atomic
def record_update(*, record, by, data, files=(), submit=False):
    """The submitter edits their own draft or returned item, and may
    (re)submit it. A submitted item waits for the archivist unchanged."""
    record = _locked(record)
    if not policies.may_edit_submission(by, record):
        raise RecordActionRefused(
            _("Only the submitter can edit a draft or a returned item; this one is %(status)s.")
            % {"status": record.get_status_display()}
        )
    _apply_submission(record, data)
    _save_description(record, ChangeReason.EDITED, by)
    return _with_files(record, files=files, by=by, submit=submit)


@transaction.atomic
def record_submit(*, record, by):
    """Staff hand an item in for filing (R-FILE-2)."""
    record = _locked(record)
    if record.status not in (RecordStatus.DRAFT, RecordStatus.RETURNED):
        raise RecordActionRefused(_("Only a draft or a returned item can be submitted."))
    # Who may hand items in at all is checked where drafts are made
    # (record_create) and by the portal (policies.may_edit_submission).
    if record.submitted_by_id not in (None, by.pk):
        raise RecordActionRefused(_("Only the person who drafted an item can submit it."))
    returned = record.status == RecordStatus.RETURNED
    record.status = RecordStatus.SUBMITTED
    record.submitted_by = record.submitted_by or by
    record.submitted_at = timezone.now()
    _save(record, ChangeReason.SUBMITTED, by)
    if returned:
        notices.submission_resubmitted(record)
    return record


@transaction.atomic
def record_return(*, record, by, reason):
    """The archivist sends a submitted item back with a reason its
    submitter sees; they correct it and submit it again (R-FILE-3)."""
    reason = (reason or "").strip()
    record = _locked(record)
    if not policies.may_return(by, record):
        raise RecordActionRefused(
            _("Only the archivist can return a submitted item; this one is %(status)s.")
            % {"status": record.get_status_display()}
        )
    if not reason:
        raise RecordActionRefused(_("Reason for return: say why the item goes back, so the submitter can put it right."))
    if len(reason) > REASON_MAX_LENGTH:
        raise RecordActionRefused(
            _("Reason for return: at most %(max)d characters.") % {"max": REASON_MAX_LENGTH}
        )
    record.status = RecordStatus.RETURNED
    record.return_reason = reason
    _save(record, ChangeReason.RETURNED, by)
    notices.submission_returned(record, by)
    return record
