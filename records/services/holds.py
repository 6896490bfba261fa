"""Holds (冻结): a record frozen against weeding, write-off and destruction
while a dispute, an audit or a lawsuit needs it, whatever its retention
says. The department head or leadership (and the archivist, who keeps the
records) places a hold with a reason, optionally until an end date, and
releases it with a reason (records.policies.may_place_hold /
may_release_hold); a hold is never deleted, so its history says who froze
the record, when and why. `holds_place` freezes many records at once (a
class and year, the records of a client or a contract), one hold each.

The rule lives in records so that every app asks the same place: disposal
(issue 12) calls refuse_if_held before it weeds or destroys a record or
removes its files, inventory (issue 13) before it writes a record off.
Reads without a refusal: records.selectors.active_holds / is_held."""
from django.db import transaction
from simple_history.utils import bulk_create_with_history
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.history import save_with_history
from core.text import join_clauses
from records import policies
from records.exceptions import RecordActionRefused
from records.history import ChangeReason
from records.models import Hold, Record, RecordStatus
from records.selectors import active_holds
from records.services._common import _locked

HOLD_REASON_MAX_LENGTH = Hold._meta.get_field("reason").max_length
HOLD_SCOPE_MAX_LENGTH = Hold._meta.get_field("scope").max_length
# Nothing is left to freeze of a record destroyed or handed to another archive.
GONE_STATES = (RecordStatus.DESTROYED, RecordStatus.TRANSFERRED)
LOCK_CHUNK_SIZE = 2000


def _reason(text, missing, *, field):
    """The reason as written, stripped; refuses an empty or too long one."""
    text = (text or "").strip()
    if not text:
        raise RecordActionRefused(missing, field=field)
    if len(text) > HOLD_REASON_MAX_LENGTH:
        raise RecordActionRefused(
            _("Reason: at most %(max)d characters.") % {"max": HOLD_REASON_MAX_LENGTH}, field=field
        )
    return text


def _ends_on(ends_on):
    """An end date from today on, or None (until released)."""
    if ends_on is not None and ends_on < timezone.localdate():
        raise RecordActionRefused(_("A hold cannot end in the past."), field="ends_on")
    return ends_on


def _scope(scope):
    scope = (scope or "").strip()
    if len(scope) > HOLD_SCOPE_MAX_LENGTH:
        raise RecordActionRefused(
            _("Scope: at most %(max)d characters.") % {"max": HOLD_SCOPE_MAX_LENGTH}, field="scope"
        )
    return scope


def _refuse_unless_may_place(by):
    if not policies.may_place_hold(by):
        raise RecordActionRefused(
            _("Only the archivist, the department head or leadership can freeze a record.")
        )


def _hold_reason(reason):
    return _reason(reason, _("Reason for the hold: say why the record must be kept."), field="reason")


@transaction.atomic
def hold_place(*, record, by, reason, ends_on=None, scope=""):
    """Freeze `record`: from now on (until `ends_on`, if given) it is kept
    from weeding, write-off and destruction until the hold is released.
    The record row is locked so that a hold and a disposal of the same
    record cannot cross."""
    record = _locked(record)
    _refuse_unless_may_place(by)
    reason, ends_on, scope = _hold_reason(reason), _ends_on(ends_on), _scope(scope)
    if record.status in GONE_STATES:
        raise RecordActionRefused(
            _("%(record)s is %(status)s: there is nothing left to freeze.")
            % {"record": record.archive_number or record, "status": record.get_status_display()}
        )
    hold = Hold(record=record, reason=reason, placed_by=by, placed_at=timezone.now(), ends_on=ends_on, scope=scope)
    return save_with_history(hold, by=by, reason=ChangeReason.HOLD_PLACED)


@transaction.atomic
def holds_place(*, records, by, reason, ends_on=None, scope=""):
    """Freeze many records at once, one hold each with the same reason, end
    and scope (e.g. "HT·2024", "客户：某某公司"): a class and year, the
    records of a client or a contract. `records` are records or their ids.
    Every record is locked first; those destroyed or transferred out are
    skipped. Returns the new holds."""
    _refuse_unless_may_place(by)
    reason, ends_on, scope = _hold_reason(reason), _ends_on(ends_on), _scope(scope)
    ids = sorted({getattr(record, "pk", record) for record in records})
    if not ids:
        raise RecordActionRefused(_("Choose at least one record to freeze."))
    kept = []
    for start in range(0, len(ids), LOCK_CHUNK_SIZE):
        locked = Record.objects.select_for_update().filter(pk__in=ids[start : start + LOCK_CHUNK_SIZE])
        kept.extend(locked.exclude(status__in=GONE_STATES).order_by("pk").values_list("pk", flat=True))
    now = timezone.now()
    holds = [
        Hold(record_id=pk, reason=reason, placed_by=by, placed_at=now, ends_on=ends_on, scope=scope) for pk in kept
    ]
    return bulk_create_with_history(
        holds, Hold, batch_size=500, default_user=by, default_change_reason=ChangeReason.HOLD_PLACED
    )


@transaction.atomic
def hold_release(*, hold, by, reason):
    """Release a hold with a reason: the record may be weeded, written off
    or destroyed again when its other rules allow. A released hold stays in
    the books and cannot be released twice; one past its end date no longer
    freezes, and may still be released to say so."""
    hold = Hold.objects.select_for_update().get(pk=hold.pk)
    if not policies.may_release_hold(by):
        raise RecordActionRefused(_("Only the archivist, the department head or leadership can release a hold."))
    if hold.is_released:
        raise RecordActionRefused(
            _("This hold was already released on %(date)s.")
            % {"date": timezone.localtime(hold.released_at).strftime("%Y-%m-%d %H:%M")}
        )
    hold.release_reason = _reason(
        reason, _("Reason for the release: say why the record need no longer be kept."), field="release_reason"
    )
    hold.released_by = by
    hold.released_at = timezone.now()
    return save_with_history(hold, by=by, reason=ChangeReason.HOLD_RELEASED)


def refuse_if_held(record):
    """Refuse (RecordActionRefused) to strike off a record that a hold
    freezes, naming the holds' reasons. Disposal (issue 12) calls it before
    weeding or destroying a record or removing its files, inventory (issue
    13) before writing one off; call it inside the transaction, after
    locking the record, so a hold placed meanwhile is seen."""
    reasons = list(active_holds(record).values_list("reason", flat=True))
    if reasons:
        raise RecordActionRefused(held_message(record, reasons))


def held_reasons(record_ids):
    """{record_id: [reason, ...]} of the active holds on `record_ids`, oldest first."""
    found = {}
    holds = Hold.objects.active().filter(record_id__in=record_ids).order_by("record_id", "placed_at", "pk")
    for record_id, reason in holds.values_list("record_id", "reason"):
        found.setdefault(record_id, []).append(reason)
    return found


def held_message(record, reasons):
    """What refuse_if_held says of `record` frozen for `reasons`."""
    return ngettext(
        "%(record)s is frozen by %(count)d hold (%(reasons)s); release the hold before it is "
        "weeded, written off or destroyed.",
        "%(record)s is frozen by %(count)d holds (%(reasons)s); release the holds before it is "
        "weeded, written off or destroyed.",
        len(reasons),
    ) % {"record": record, "count": len(reasons), "reasons": join_clauses(reasons)}
