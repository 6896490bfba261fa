"""Holds (冻结): a record frozen against weeding, write-off and destruction
while a dispute, an audit or a lawsuit needs it, whatever its retention
says. The archivist or the department head places a hold with a reason and
releases it with a reason (records.policies.may_place_hold /
may_release_hold); a hold is never deleted, so its history says who froze
the record, when and why.

The rule lives in records so that every app asks the same place: disposal
(issue 12) calls refuse_if_held before it weeds or destroys a record or
removes its files, inventory (issue 13) before it writes a record off.
Reads without a refusal: records.selectors.active_holds / is_held."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.history import save_with_history
from core.text import join_clauses
from records import policies
from records.exceptions import RecordActionRefused
from records.history import ChangeReason
from records.models import Hold
from records.selectors import active_holds
from records.services._common import _locked

HOLD_REASON_MAX_LENGTH = Hold._meta.get_field("reason").max_length


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


@transaction.atomic
def hold_place(*, record, by, reason):
    """Freeze `record`: from now on it is kept from weeding, write-off and
    destruction until the hold is released. The record row is locked so
    that a hold and a disposal of the same record cannot cross."""
    record = _locked(record)
    if not policies.may_place_hold(by):
        raise RecordActionRefused(_("Only the archivist or the department head can freeze a record."))
    reason = _reason(reason, _("Reason for the hold: say why the record must be kept."), field="reason")
    hold = Hold(record=record, reason=reason, placed_by=by, placed_at=timezone.now())
    return save_with_history(hold, by=by, reason=ChangeReason.HOLD_PLACED)


@transaction.atomic
def hold_release(*, hold, by, reason):
    """Release a hold with a reason: the record may be weeded, written off
    or destroyed again when its other rules allow. A released hold stays in
    the books and cannot be released twice."""
    hold = Hold.objects.select_for_update().get(pk=hold.pk)
    if not policies.may_release_hold(by):
        raise RecordActionRefused(_("Only the archivist or the department head can release a hold."))
    if not hold.is_active:
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
        raise RecordActionRefused(
            ngettext(
                "%(record)s is frozen by %(count)d hold (%(reasons)s); release the hold before it is "
                "weeded, written off or destroyed.",
                "%(record)s is frozen by %(count)d holds (%(reasons)s); release the holds before it is "
                "weeded, written off or destroyed.",
                len(reasons),
            )
            % {"record": record, "count": len(reasons), "reasons": join_clauses(reasons)}
        )
