"""What the year-end appraisal and the weeding and disposal lists do to a
record (R-DISP-1..3). The disposal app decides who may and when (its lists,
approvals and witnesses) and calls these services; records keeps the
mechanism: each service locks the record, refuses a held record
(holds.refuse_if_held), refuses to strike off a record anything keeps
(records.disposability.refuse_if_blocked), and saves with a reason of its
own in the history. A refusal names the archive number and changes nothing.

- record_extend_retention: keep the record N more years (R-DISP-2).
- record_keep_permanently: make its retention permanent (R-DISP-2).
- record_weed: no lasting value, WEEDED (R-DISP-1); destroyed later.
- record_transfer_out: handed to another archive, TRANSFERRED (移交).
- record_destroy: DESTROYED (R-DISP-3); its files become tombstones, their
  text leaves the search index, their bytes leave the storage after commit.
"""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import save_with_history
from records.disposability import refuse_if_blocked
from records.exceptions import RecordActionRefused
from records.files.removal import remove_after_commit
from records.history import ChangeReason
from records.models import Record, RecordStatus
from records.models.choices import MAX_RETENTION_YEARS
from records.services._common import _locked, _save, _save_description
from records.services.holds import refuse_if_held

DISPOSITION_REASON_MAX_LENGTH = Record._meta.get_field("disposition_reason").max_length
RECEIVING_BODY_MAX_LENGTH = Record._meta.get_field("transferred_to").max_length

# Whose retention the appraisal may still change: on the books, or weeded
# and waiting for destruction.
RETAINED_STATES = (*RecordStatus.on_the_books(), RecordStatus.WEEDED)
# Weeded from the shelf only: a record out or lost is not weeded (R-DISP-1).
WEEDABLE_STATES = (RecordStatus.FILED,)
# Destroyed or transferred from the shelf, weeded or not (R-DISP-2, R-DISP-3).
STRIKABLE_STATES = (RecordStatus.FILED, RecordStatus.WEEDED)


def _text(value, *, max_length, missing, field):
    """The text as written, stripped; refuses an empty or too long one."""
    value = (value or "").strip()
    if not value:
        raise RecordActionRefused(missing, field=field)
    if len(value) > max_length:
        raise RecordActionRefused(_("At most %(max)d characters.") % {"max": max_length}, field=field)
    return value


def _reason(reason):
    return _text(
        reason,
        max_length=DISPOSITION_REASON_MAX_LENGTH,
        missing=_("Give the reason for this decision."),
        field="reason",
    )


def _refuse_unless_in(record, states, message):
    """`message` names the record and its state; refused when the record is
    in none of `states`."""
    if record.status not in states:
        raise RecordActionRefused(message % {"record": record.archive_number or record, "status": record.get_status_display()})


def _locked_for_disposition(record, states, message, *, strike_off):
    """Lock, then refuse a held record, then (striking off) a blocked one,
    then a record in the wrong state."""
    record = _locked(record)
    refuse_if_held(record)
    if strike_off:
        refuse_if_blocked(record)
    _refuse_unless_in(record, states, message)
    return record


@transaction.atomic
def record_extend_retention(*, record, years, reason, by):
    """Keep `record` `years` more years (R-DISP-2): its retention ends that
    much later, with the reason and the new end in its history. A permanent
    record has nothing to extend; retention and extensions together stay
    within MAX_RETENTION_YEARS."""
    reason = _reason(reason)
    record = _locked_for_disposition(
        record, RETAINED_STATES, _("%(record)s is %(status)s: its retention can no longer change."), strike_off=False
    )
    if record.retention_years is None:
        raise RecordActionRefused(_("%(record)s is kept permanently: there is no retention to extend.") % {"record": record.archive_number})
    total = record.retention_years + record.retention_extended_years
    if not isinstance(years, int) or isinstance(years, bool) or not 1 <= years <= MAX_RETENTION_YEARS - total:
        raise RecordActionRefused(
            _("%(record)s: extend by 1 to %(max)d years (retention and extensions stay within %(limit)d years); "
              "keep it permanently instead.")
            % {"record": record.archive_number, "max": max(MAX_RETENTION_YEARS - total, 0), "limit": MAX_RETENTION_YEARS},
            field="years",
        )
    record.retention_extended_years += years
    record.disposition_reason = reason
    return _save_description(record, ChangeReason.RETENTION_EXTENDED, by)


@transaction.atomic
def record_keep_permanently(*, record, reason, by):
    """Keep `record` permanently after appraisal (R-DISP-2): its retention
    becomes permanent, any extension is dropped. The archive number keeps
    its retention code: a number is never changed."""
    reason = _reason(reason)
    record = _locked_for_disposition(
        record, RETAINED_STATES, _("%(record)s is %(status)s: its retention can no longer change."), strike_off=False
    )
    if record.retention_years is None:
        raise RecordActionRefused(_("%(record)s is already kept permanently.") % {"record": record.archive_number})
    record.retention_years = None
    record.retention_extended_years = 0
    record.disposition_reason = reason
    return _save_description(record, ChangeReason.KEPT_PERMANENTLY, by)


@transaction.atomic
def record_weed(*, record, reason, by):
    """Weed `record` out as having no lasting value (R-DISP-1, after the
    department head approved the weeding list): WEEDED, off the books,
    destroyed with the next approved disposal list."""
    reason = _reason(reason)
    record = _locked_for_disposition(
        record, WEEDABLE_STATES, _("%(record)s is %(status)s and cannot be weeded."), strike_off=True
    )
    record.status = RecordStatus.WEEDED
    record.disposition_reason = reason
    return _save(record, ChangeReason.WEEDED, by)


@transaction.atomic
def record_transfer_out(*, record, receiving_body, reason, by):
    """Hand `record` over to another archive (移交, e.g. the company's):
    TRANSFERRED, with the receiving body; its files stay as they were."""
    reason = _reason(reason)
    receiving_body = _text(
        receiving_body,
        max_length=RECEIVING_BODY_MAX_LENGTH,
        missing=_("Name the body that receives the record."),
        field="receiving_body",
    )
    record = _locked_for_disposition(
        record, STRIKABLE_STATES, _("%(record)s is %(status)s and cannot be transferred out."), strike_off=True
    )
    record.status = RecordStatus.TRANSFERRED
    record.transferred_to = receiving_body
    record.disposition_reason = reason
    return _save(record, ChangeReason.TRANSFERRED_OUT, by)


@transaction.atomic
def record_destroy(*, record, reason, by, destroyed_at=None):
    """Destroy `record` (R-DISP-3): DESTROYED; its archive number is never
    given again. Each live attachment becomes a tombstone (name, size,
    SHA-256 and content type stay; its text is emptied and leaves the
    search index with the record's re-indexing); the bytes are removed
    after the commit (records.files.removal), none if it rolls back."""
    reason = _reason(reason)
    record = _locked_for_disposition(
        record, STRIKABLE_STATES, _("%(record)s is %(status)s and cannot be destroyed."), strike_off=True
    )
    when = destroyed_at or timezone.now()
    tombstones = _tombstone_attachments(record, when, by)
    record.status = RecordStatus.DESTROYED
    record.disposition_reason = reason
    # Saving the record re-indexes it, now without its files' text.
    _save(record, ChangeReason.DESTROYED, by)
    if tombstones:
        remove_after_commit(tombstones)
    return record


def _tombstone_attachments(record, when, by):
    """Mark the record's live attachments destroyed, each with a history
    row; returns their ids."""
    ids = []
    for attachment in record.attachments.filter(destroyed_at__isnull=True).defer("extracted_text"):
        attachment.destroyed_at = when
        attachment.extracted_text = ""
        save_with_history(
            attachment, by=by, reason=ChangeReason.DESTROYED, update_fields=["destroyed_at", "extracted_text"]
        )
        ids.append(attachment.pk)
    return ids
