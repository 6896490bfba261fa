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
- record_destroy / records_destroy (many at once, all or none): DESTROYED
  (R-DISP-3); its files become tombstones, their text leaves the search
  index, their bytes leave the storage after commit.
"""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from records.disposability import blocked_message, blockers_of, refuse_if_blocked
from records.exceptions import RecordActionRefused
from records.files.removal import remove_after_commit
from records.history import ChangeReason
from records.models import Attachment, Record, RecordStatus
from records.models.choices import MAX_RETENTION_YEARS
from records.search import index_records, read_trees
from records.services._common import _locked, _save, _save_description
from records.services.holds import held_message, held_reasons, refuse_if_held

DISPOSITION_REASON_MAX_LENGTH = Record._meta.get_field("disposition_reason").max_length
RECEIVING_BODY_MAX_LENGTH = Record._meta.get_field("transferred_to").max_length

# Whose retention the appraisal may still change: on the books, or weeded
# and waiting for destruction.
RETAINED_STATES = (*RecordStatus.on_the_books(), RecordStatus.WEEDED)
# Weeded from the shelf only: a record out or lost is not weeded (R-DISP-1).
WEEDABLE_STATES = (RecordStatus.FILED,)
# Destroyed or transferred from the shelf, weeded or not (R-DISP-2, R-DISP-3).
STRIKABLE_STATES = (RecordStatus.FILED, RecordStatus.WEEDED)
# Records locked, checked and written per round of queries by records_destroy.
DESTROY_CHUNK_SIZE = 500


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
        values = {"record": record.archive_number or record, "status": record.get_status_display()}
        raise RecordActionRefused(message % values)


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
        raise RecordActionRefused(
            _("%(record)s is kept permanently: there is no retention to extend.") % {"record": record.archive_number}
        )
    most = max(MAX_RETENTION_YEARS - record.retention_years - record.retention_extended_years, 0)
    if not isinstance(years, int) or isinstance(years, bool) or not 1 <= years <= most:
        raise RecordActionRefused(
            _("%(record)s: extend by 1 to %(max)d years (retention and extensions stay within %(limit)d years); "
              "keep it permanently instead.")
            % {"record": record.archive_number, "max": most, "limit": MAX_RETENTION_YEARS},
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


def record_destroy(*, record, reason, by, destroyed_at=None):
    """Destroy `record` (R-DISP-3): records_destroy (atomic) for one record.
    A disposal list destroys all its records in one records_destroy call:
    about 20 queries a call, whether for one record or for 500."""
    (destroyed,) = records_destroy(records=[record], reason=reason, by=by, destroyed_at=destroyed_at)
    return destroyed


@transaction.atomic
def records_destroy(*, records, reason, by, destroyed_at=None):
    """Destroy `records` (R-DISP-3), all or none: each DESTROYED, its
    archive number never given again. Every live attachment becomes a
    tombstone (name, size, SHA-256 and content type stay; its text is
    emptied and leaves the search index); the bytes are removed after the
    commit (records.files.removal), none if it rolls back. `reason` is one
    text for all, or {record id: text}. Every record is locked and checked
    first; a refusal names every record that cannot be destroyed and why.
    Set-based: the same few queries for each chunk of records, so a
    disposal list of 10,000 records is destroyed in one call. Returns the
    records, in the order given."""
    ids = list(dict.fromkeys(getattr(record, "pk", record) for record in records))
    reasons = {pk: _reason(reason.get(pk) if isinstance(reason, dict) else reason) for pk in ids}
    when = destroyed_at or timezone.now()
    locked = {}
    for chunk in _chunks(ids):
        locked.update(Record.objects.select_for_update().in_bulk(chunk))
    _refuse_unless_destroyable([locked[pk] for pk in ids])
    trees = read_trees()
    tombstones = []
    for chunk in _chunks(ids):
        tombstones.extend(_tombstone_attachments(chunk, when, by))
        _mark_destroyed([locked[pk] for pk in chunk], reasons, by)
        # Bulk writes send no post_save: the index is brought up to date
        # here, now without the files' text (title and number stay findable).
        index_records(chunk, trees=trees)
    if tombstones:
        remove_after_commit(tombstones)
    return [locked[pk] for pk in ids]


def _chunks(ids):
    return (ids[start : start + DESTROY_CHUNK_SIZE] for start in range(0, len(ids), DESTROY_CHUNK_SIZE))


def _refuse_unless_destroyable(records):
    """One refusal naming every record held, kept (records.disposability)
    or in a state that is not destroyed."""
    problems = []
    for chunk in _chunks(records):
        held = held_reasons([record.pk for record in chunk])
        blocked = blockers_of([record for record in chunk if record.pk not in held])
        for record in chunk:
            if record.pk in held:
                problems.append(held_message(record, held[record.pk]))
            elif record.pk in blocked:
                problems.append(blocked_message(record, blocked[record.pk]))
            elif record.status not in STRIKABLE_STATES:
                problems.append(
                    _("%(record)s is %(status)s and cannot be destroyed.")
                    % {"record": record.archive_number or record, "status": record.get_status_display()}
                )
    if problems:
        raise RecordActionRefused(" ".join(problems))


def _tombstone_attachments(record_ids, when, by):
    """Mark the live attachments of `record_ids` destroyed, each with a
    history row; returns their ids."""
    attachments = list(
        Attachment.objects.filter(record_id__in=record_ids, destroyed_at__isnull=True).defer("extracted_text")
    )
    if not attachments:
        return []
    ids = [attachment.pk for attachment in attachments]
    # The same two values for every row: one UPDATE, then the history rows
    # from the objects (what simple-history's bulk_update_with_history does).
    Attachment.objects.filter(pk__in=ids).update(destroyed_at=when, extracted_text="")
    for attachment in attachments:
        attachment.destroyed_at, attachment.extracted_text = when, ""
    Attachment.history.bulk_history_create(
        attachments, update=True, default_user=by, default_change_reason=ChangeReason.DESTROYED
    )
    return ids


def _mark_destroyed(records, reasons, by):
    """DESTROYED, with each record's reason and a history row each: one
    UPDATE per distinct reason (a list usually gives one or a few), then
    the history rows from the objects (what simple-history's
    bulk_update_with_history does, without its per-row CASE)."""
    now = timezone.now()
    by_reason = {}
    for record in records:
        record.status = RecordStatus.DESTROYED
        record.disposition_reason = reasons[record.pk]
        record.status_changed_at = record.updated_at = now
        by_reason.setdefault(record.disposition_reason, []).append(record.pk)
    for reason, ids in by_reason.items():
        Record.objects.filter(pk__in=ids).update(
            status=RecordStatus.DESTROYED, disposition_reason=reason, status_changed_at=now, updated_at=now
        )
    Record.history.bulk_history_create(
        records, update=True, default_user=by, default_change_reason=ChangeReason.DESTROYED
    )
