"""Every write that changes a record's state. Each service locks the row,
checks, and saves in one transaction; history records who and why.

The filing desk (R-FILE-2, R-FILE-3, R-FILE-5): staff draft and submit
items, the archivist returns them with a reason or receives several from one
person as a handover (交接单) that files each of them, and corrects a filed
record only as a recorded change with a reason. Who may do what is decided
in records.policies; the services ask again under the row lock."""
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.text import join_items
from records import policies
from records.attachments import add_attachment
from records.exceptions import RecordActionRefused
from records.history import ChangeReason
from records.models import Handover, HandoverItem, LocationKind, Medium, Record, RecordStatus
from records.numbering import allocate_handover_number, allocate_item_number, format_archive_number

REASON_MAX_LENGTH = Record._meta.get_field("return_reason").max_length
REMARKS_MAX_LENGTH = HandoverItem._meta.get_field("remarks").max_length


def _locked(record):
    return Record.objects.select_for_update().get(pk=record.pk)


def _save(record, reason, by=None):
    """Save a change of state."""
    record.status_changed_at = timezone.now()
    return _save_description(record, reason, by)


def _save_description(record, reason, by=None):
    """Save a change that leaves the state alone."""
    record._change_reason = reason
    if by is not None:
        # The request middleware names the user too; services also run
        # outside requests (imports, commands, tests).
        record._history_user = by
    record.save()
    return record


def _label(name):
    return capfirst(Record._meta.get_field(name).verbose_name)


def _field_error(name, messages):
    text = " ".join(messages)
    return text if name == NON_FIELD_ERRORS else f"{_label(name)}: {text}"


def _labels(names):
    return join_items(_label(name) for name in names)


# --- submission (R-FILE-2) ------------------------------------------------------


@dataclass
class Submission:
    """A created or edited submission and the files added to it; each added
    file says which other visible records hold the same file."""

    record: Record
    added: list = field(default_factory=list)


def _apply_submission(record, data):
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


def _add_files(record, files, by):
    return [add_attachment(record=record, uploaded_file=uploaded, by=by) for uploaded in files]


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
    added = _add_files(record, files, by)
    if submit:
        record = record_submit(record=record, by=by)
    return Submission(record=record, added=added)


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
    added = _add_files(record, files, by)
    if submit:
        record = record_submit(record=record, by=by)
    return Submission(record=record, added=added)


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
    record.status = RecordStatus.SUBMITTED
    record.submitted_by = record.submitted_by or by
    record.submitted_at = timezone.now()
    return _save(record, ChangeReason.SUBMITTED, by)


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
    return _save(record, ChangeReason.RETURNED, by)


# --- filing and receipt (R-FILE-3, R-FILE-5) -------------------------------------


def _file_locked(record, *, by, location, reason):
    """Give a locked record its archive number and place and save it."""
    item = allocate_item_number(record.category, record.year)
    record.item_number = item
    record.archive_number = format_archive_number(
        category=record.category, year=record.year, retention_years=record.retention_years, item=item
    )
    record.status = RecordStatus.FILED
    record.filed_by = by
    record.filed_at = timezone.now()
    if location is not None:
        record.location = location
    return _save(record, reason, by)


@transaction.atomic
def record_file(*, record, by, location=None):
    """The archivist files a received item: it gets its archive number and
    place in one step (R-FILE-3, R-FILE-5)."""
    record = _locked(record)
    if record.status not in (RecordStatus.DRAFT, RecordStatus.SUBMITTED):
        raise RecordActionRefused(
            _("Only a submitted item can be filed; this one is %(status)s.")
            % {"status": record.get_status_display()}
        )
    return _file_locked(record, by=by, location=location, reason=ChangeReason.FILED)


class ReceivedItem(NamedTuple):
    """What the archivist found when counting one item of a handover."""

    record: Record
    copies_received: int
    pages_received: int
    format_ok: bool = True
    remarks: str = ""
    location: Any = None


def _check_received_item(item, record):
    """Refuse an item that cannot be received as counted (R-FILE-3)."""
    name = {"title": record.title}
    if record.status != RecordStatus.SUBMITTED:
        raise RecordActionRefused(
            _("«%(title)s» is %(status)s, not waiting to be received.")
            % {**name, "status": record.get_status_display()}
        )
    if item.copies_received is None or item.copies_received < 1:
        raise RecordActionRefused(_("Copies received of «%(title)s»: count at least one copy.") % name)
    if item.pages_received is None or item.pages_received < 0:
        raise RecordActionRefused(_("Pages received of «%(title)s»: enter the number of pages counted.") % name)
    if policies.format_check_needs_remark(item.format_ok, item.remarks):
        raise RecordActionRefused(
            _("Remarks on «%(title)s»: say what is wrong with the format, or return the item instead.") % name
        )
    location = item.location
    if location is None:
        if record.medium != Medium.ELECTRONIC:
            raise RecordActionRefused(_("Location of «%(title)s»: choose the box the paper goes into.") % name)
    elif location.kind != LocationKind.BOX or not location.is_active:
        raise RecordActionRefused(
            _("Location of «%(title)s»: %(location)s is not a box in use.") % {**name, "location": location}
        )


def _count_remark(record, item):
    """The remark that says the record was filed as counted, not as
    submitted (R-FILE-1: the archivist records how many copies)."""
    return _(
        "Counted on receipt: copies %(copies_received)d (submitted %(copies)d), "
        "pages %(pages_received)d (submitted %(pages)d)."
    ) % {
        "copies": record.copies,
        "pages": record.pages,
        "copies_received": item.copies_received,
        "pages_received": item.pages_received,
    }


@transaction.atomic
def handover_receive(*, by, items, notes=""):
    """Receive several submitted items from one person as one handover
    (交接单) and file each of them with its archive number and box, all or
    nothing (R-FILE-3, R-FILE-5).

    `items` are ReceivedItem values (or tuples in its order). The archivist
    counts copies and pages: where they differ from the submission the item
    is filed as counted, its copies and pages become the counted ones and
    the remark says what was submitted; an item that should not be filed as
    counted is returned instead (record_return). An item whose format is not
    right needs a remark saying what is wrong."""
    if not policies.may_receive(by):
        raise RecordActionRefused(_("Only the archivist can receive items for filing."))
    items = [ReceivedItem(*item) for item in items]
    if not items:
        raise RecordActionRefused(_("Choose at least one item to receive."))
    pks = [item.record.pk for item in items]
    if len(set(pks)) != len(pks):
        raise RecordActionRefused(_("An item is listed twice in this handover."))
    # Lock in a fixed order so that two receipts cannot deadlock.
    locked = {
        record.pk: record
        for record in Record.objects.select_for_update().select_related("category").filter(pk__in=pks).order_by("pk")
    }
    submitters = {locked[pk].submitted_by_id for pk in pks}
    if len(submitters) != 1 or None in submitters:
        raise RecordActionRefused(
            _("A handover holds items from one person only; receive each person's items separately.")
        )
    prepared = []
    for item in items:
        record = locked[item.record.pk]
        _check_received_item(item, record)
        remarks = (item.remarks or "").strip()
        reason = ChangeReason.FILED
        if policies.counts_differ(record, item.copies_received, item.pages_received):
            remarks = " ".join(part for part in (_count_remark(record, item), remarks) if part)
            reason = ChangeReason.RECEIVED_AS_COUNTED
        if len(remarks) > REMARKS_MAX_LENGTH:
            raise RecordActionRefused(
                _("Remarks on «%(title)s»: at most %(max)d characters.")
                % {"title": record.title, "max": REMARKS_MAX_LENGTH}
            )
        prepared.append((item, record, remarks, reason))

    received_at = timezone.now()
    handover = Handover(
        number=allocate_handover_number(timezone.localdate(received_at).year),
        handed_over_by=locked[pks[0]].submitted_by,
        received_by=by,
        received_at=received_at,
        notes=(notes or "").strip(),
    )
    handover._history_user = by
    handover.save()
    for item, record, remarks, reason in prepared:
        record.copies = item.copies_received
        record.pages = item.pages_received
        record.return_reason = ""
        _file_locked(record, by=by, location=item.location, reason=reason)
        handover_item = HandoverItem(
            handover=handover,
            record=record,
            copies_received=item.copies_received,
            pages_received=item.pages_received,
            format_ok=item.format_ok,
            remarks=remarks,
        )
        handover_item._history_user = by
        handover_item.save()
    return handover


# --- corrections (R-FILE-3) ------------------------------------------------------


def _clean_correction(record, changes):
    """The changes that really change something, each value checked as the
    model checks it; refuses with a message naming the field."""
    effective = {}
    for name, value in changes.items():
        if name == "location":
            if value is None:
                if changes.get("medium", record.medium) != Medium.ELECTRONIC:
                    raise RecordActionRefused(_("Location: a record on paper needs the box it is kept in."))
            elif value.kind != LocationKind.BOX or not value.is_active:
                raise RecordActionRefused(
                    _("Location: %(location)s is not a box in use.") % {"location": value}
                )
            if (value.pk if value else None) != record.location_id:
                effective[name] = value
            continue
        model_field = Record._meta.get_field(name)
        try:
            value = model_field.clean(value, record)
        except ValidationError as exc:
            raise RecordActionRefused(
                _("%(field)s: %(error)s") % {"field": _label(name), "error": " ".join(exc.messages)}
            ) from None
        if name == "copies" and value < 1:
            raise RecordActionRefused(_("%(field)s: at least one.") % {"field": _label(name)})
        if getattr(record, name) != value:
            effective[name] = value
    return effective


@transaction.atomic
def record_correct(*, record, by, changes, reason):
    """Correct the description of a record on the books: only the
    archivist, only descriptive fields, always with a reason that history
    keeps beside the old and new values (R-FILE-3: nobody writes on a filed
    original). Class, year and retention are part of the archive number
    (R-FILE-5) and are never corrected."""
    reason = (reason or "").strip()
    record = _locked(record)
    if not policies.may_correct(by, record):
        raise RecordActionRefused(
            _("Only the archivist can correct a record on the books; this one is %(status)s.")
            % {"status": record.get_status_display()}
        )
    numbered = [name for name in changes if name in policies.NUMBERED_FIELDS]
    if numbered:
        raise RecordActionRefused(
            _("%(fields)s: part of the archive number, so not open to correction.") % {"fields": _labels(numbered)}
        )
    refused = policies.refused_correction_fields(changes)
    if refused:
        raise RecordActionRefused(
            _("These fields cannot be corrected: %(fields)s.") % {"fields": join_items(refused)}
        )
    if not reason:
        raise RecordActionRefused(_("Reason for the correction: say why the description changes."))
    effective = _clean_correction(record, changes)
    if not effective:
        raise RecordActionRefused(_("Nothing to correct: the values are the ones already recorded."))
    for name, value in effective.items():
        setattr(record, name, value)
    # The reason is the archivist's own words, kept verbatim in history.
    return _save_description(record, reason, by)


# --- custody (called by lending) ---------------------------------------------------


@transaction.atomic
def record_check_out(*, record, reason):
    """Custody leaves the shelf (called by lending). A record that is not on
    the shelf cannot go out (R-LEND-1)."""
    record = _locked(record)
    if record.status != RecordStatus.FILED:
        raise RecordActionRefused(
            _("The record is %(status)s and cannot be handed out.") % {"status": record.get_status_display()}
        )
    record.status = RecordStatus.ON_LOAN
    return _save(record, reason)


@transaction.atomic
def record_check_in(*, record, reason):
    """Custody returns to the shelf (called by lending)."""
    record = _locked(record)
    if record.status not in (RecordStatus.ON_LOAN, RecordStatus.MISSING):
        raise RecordActionRefused(_("The record is not out, so it cannot be taken back."))
    record.status = RecordStatus.FILED
    return _save(record, reason)


@transaction.atomic
def record_mark_missing(*, record, reason, by=None):
    """A record reported lost, on loan or from the shelf, goes to missing
    (R-LEND-5, R-INV-3); taking it back in (record_check_in) puts it on the
    shelf again when it turns up."""
    record = _locked(record)
    if record.status not in (RecordStatus.FILED, RecordStatus.ON_LOAN):
        raise RecordActionRefused(
            _("The record is %(status)s and cannot be marked missing.") % {"status": record.get_status_display()}
        )
    record.status = RecordStatus.MISSING
    return _save(record, reason, by)
