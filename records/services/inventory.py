"""What the year-end stocktake (R-INV-1..3) does to a record. The inventory
app decides who may and when (its stocktakes, differences, write-off
approvals and repair tasks) and calls these services; records keeps the
mechanism: each service locks the record, checks its state, and saves with
a reason of its own in the history. Reporting a record missing is
custody.record_mark_missing (the stocktake passes its own reason).

- record_move: the record's box changes (a misplaced item is moved back,
  or its ledger box corrected, R-INV-1); history shows the old and the
  new box and says why.
- record_write_off: struck off the ledger (transfer, void, loss),
  WRITTEN_OFF, with the reason (R-INV-3); its archive number is never
  given again (the number sequence only goes up).
- record_restore_found: a missing record that turns up is filed again,
  optionally in another box.
- record_add_copies: a copy made of a damaged item raises the copy count
  (R-INV-2).

The reason is required and kept: in the history row's reason, after the
words for the change ("Moved to another box: found in B015"); a write-off's
reason also in the record's reason for disposition, like a destruction's.
Refusals name the archive number and change nothing."""
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.limits import SMALL_INTEGER_MAX
from core.text import join_clauses
from records.disposability import blockers_of
from records.exceptions import RecordActionRefused
from records.history import ChangeReason
from records.models import LocationKind, Record, RecordStatus
from records.services._common import _locked, _save, _save_description
from records.services.holds import refuse_if_held

INVENTORY_REASON_MAX_LENGTH = Record._meta.get_field("disposition_reason").max_length
# A record's box is moved while it is on the books: on the shelf, out on
# loan (its ledger box is corrected) or missing (where it belongs).
MOVABLE_STATES = tuple(RecordStatus.on_the_books())
# Written off from the shelf or after it went missing (R-INV-3); a record
# on loan comes back first.
WRITABLE_OFF_STATES = (RecordStatus.FILED, RecordStatus.MISSING)
# Copies are made of what the archive holds and can reach.
COPYABLE_STATES = (RecordStatus.FILED, RecordStatus.ON_LOAN)


def _reason(reason):
    """The reason as written, stripped; refuses an empty or too long one."""
    reason = (reason or "").strip()
    if not reason:
        raise RecordActionRefused(_("Give the reason for this change."), field="reason")
    if len(reason) > INVENTORY_REASON_MAX_LENGTH:
        raise RecordActionRefused(
            _("Reason: at most %(max)d characters.") % {"max": INVENTORY_REASON_MAX_LENGTH}, field="reason"
        )
    return reason


def _history_reason(change, reason):
    """What the history row says: the words for the change, then why."""
    return pgettext("a change in history, then why", "%(change)s: %(reason)s") % {
        "change": change.label,
        "reason": reason,
    }


def _refuse_unless_in(record, states, message):
    if record.status not in states:
        raise RecordActionRefused(
            message % {"record": record.archive_number or record, "status": record.get_status_display()}
        )


def _box_in_use(location):
    """A box in use, or a refusal naming the location."""
    if location is None or location.kind != LocationKind.BOX or not location.is_active:
        raise RecordActionRefused(
            _("Location: %(location)s is not a box in use.") % {"location": location or "—"}, field="location"
        )
    return location


@transaction.atomic
def record_move(*, record, location, reason, by):
    """Put `record` in the box `location` (a box in use): a misplaced item
    found at the stocktake goes back, or its ledger box is corrected
    (R-INV-1). History shows the old and the new box and says why."""
    reason = _reason(reason)
    location = _box_in_use(location)
    record = _locked(record)
    _refuse_unless_in(record, MOVABLE_STATES, _("%(record)s is %(status)s: its box can no longer change."))
    if record.location_id == location.pk:
        raise RecordActionRefused(
            _("%(record)s is already in %(location)s.") % {"record": record.archive_number, "location": location},
            field="location",
        )
    record.location = location
    return _save_description(record, _history_reason(ChangeReason.MOVED, reason), by)


def _refuse_if_blocked_from_write_off(record):
    """What keeps a record from being struck off (records.disposability),
    except that it is missing (a missing record is what a loss writes off)
    or kept permanently: retention rules destruction at its end, while a
    write-off records a loss, a void or a transfer, which can befall a
    permanent record too (R-INV-3)."""
    not_in_the_way = {
        pgettext("why a record cannot be disposed of", "missing"),
        pgettext("why a record cannot be disposed of", "permanent retention"),
    }
    reasons = [reason for reason in blockers_of([record]).get(record.pk, []) if reason not in not_in_the_way]
    if reasons:
        raise RecordActionRefused(
            _("%(record)s cannot be written off: %(reasons)s.")
            % {"record": record.archive_number, "reasons": join_clauses(reasons)}
        )


@transaction.atomic
def record_write_off(*, record, reason, by):
    """Strike `record` off the ledger (transfer, void, loss: R-INV-3),
    from the shelf or missing: WRITTEN_OFF with the reason, which the
    record keeps as its reason for disposition. Refused for a record on
    loan, frozen by a hold, or kept by anything records.disposability
    knows (an open loan request). The archive
    number stays the record's: numbering never gives it again."""
    reason = _reason(reason)
    record = _locked(record)
    refuse_if_held(record)
    _refuse_unless_in(record, WRITABLE_OFF_STATES, _("%(record)s is %(status)s and cannot be written off."))
    _refuse_if_blocked_from_write_off(record)
    record.status = RecordStatus.WRITTEN_OFF
    record.disposition_reason = reason
    return _save(record, ChangeReason.WRITTEN_OFF, by)


@transaction.atomic
def record_restore_found(*, record, reason, by, location=None):
    """A missing record that turns up is filed again (R-INV-1), in its
    box or in `location` (a box in use), with the reason in history."""
    reason = _reason(reason)
    if location is not None:
        location = _box_in_use(location)
    record = _locked(record)
    _refuse_unless_in(
        record, (RecordStatus.MISSING,), _("%(record)s is %(status)s, not missing: there is nothing to restore.")
    )
    record.status = RecordStatus.FILED
    if location is not None:
        record.location = location
    return _save(record, _history_reason(ChangeReason.RESTORED_FOUND, reason), by)


@transaction.atomic
def record_add_copies(*, record, count, reason, by):
    """A copy made of a damaged or decaying item (R-INV-2) raises the
    record's copy count by `count`, with the reason in history."""
    reason = _reason(reason)
    record = _locked(record)
    _refuse_unless_in(record, COPYABLE_STATES, _("%(record)s is %(status)s: no copy is added to it."))
    most = SMALL_INTEGER_MAX - record.copies
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= most:
        raise RecordActionRefused(
            _("%(record)s: add 1 to %(max)d copies.") % {"record": record.archive_number, "max": most},
            field="count",
        )
    record.copies += count
    return _save_description(record, _history_reason(ChangeReason.COPIES_ADDED, reason), by)
