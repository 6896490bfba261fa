"""The two signatures: the department head approves a submitted list
(R-DISP-1: weeding; R-DISP-2: appraisal), leadership gives the final
approval of a list that destroys anything (R-DISP-2: destruction only after
approval). Nobody approves a list they drafted; nobody signs both steps; a
list is signed once per step, even when two approvers press at once."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from core.history import save_with_history
from disposal import notices, policies
from disposal.exceptions import DisposalRefused
from disposal.models import ItemAction, ListItem, ListState
from disposal.reasons import DisposalReason
from disposal.services._common import locked_list, recheck_live_items, refuse_if_moved_on
from records.exceptions import RecordActionRefused
from records.services.disposition import record_extend_retention, record_keep_permanently, record_weed

BATCH_SIZE = 500


def _refuse_unless_signer(disposal_list, by, step):
    """Who may sign `step` (disposal.policies.may_approve), each refusal
    saying why."""
    if step not in (policies.STEP_HEAD, policies.STEP_LEADERSHIP):
        raise DisposalRefused(
            _("List %(number)s is “%(state)s”: it is not waiting for an approval.")
            % {"number": disposal_list.number, "state": disposal_list.get_state_display()}
        )
    if by.pk == disposal_list.drafted_by_id:
        raise DisposalRefused(_("You drafted list %(number)s: someone else must approve it.") % {
            "number": disposal_list.number
        })
    if by.pk == disposal_list.head_approved_by_id:
        raise DisposalRefused(
            _("You already approved list %(number)s as department head; the final approval must come from "
              "someone else.") % {"number": disposal_list.number}
        )
    if not policies.may_approve(by, disposal_list, step):
        if step == policies.STEP_HEAD:
            raise DisposalRefused(_("Only the department head approves a submitted list."))
        raise DisposalRefused(_("Only leadership gives the final approval of destruction."))


@transaction.atomic
def list_approve(*, disposal_list, by):
    """Sign the step the list waits for, after checking every live item
    again under its record's lock (a record lent, held or changed since
    listing is refused, naming its archive number; nothing changes).

    The head's signature carries out what needs no more: weeding (records
    become WEEDED and are destroyed from a later appraisal list),
    extensions and permanent keeping; a list with nothing left is then
    executed. A list that destroys waits for leadership; one that only
    transfers waits for execution."""
    seen, disposal_list = disposal_list, locked_list(disposal_list)
    refuse_if_moved_on(seen, disposal_list)
    step = policies.next_step(disposal_list)
    _refuse_unless_signer(disposal_list, by, step)
    items, records = recheck_live_items(disposal_list)
    if not items:
        raise DisposalRefused(
            _("Every item of list %(number)s is struck off: return it to the drafter instead.")
            % {"number": disposal_list.number}
        )
    now = timezone.now()
    if step == policies.STEP_HEAD:
        _head_approves(disposal_list, items, records, by, now)
    else:
        disposal_list.state = ListState.LEADERSHIP_APPROVED
        disposal_list.leadership_approved_by, disposal_list.leadership_approved_at = by, now
        save_with_history(disposal_list, by=by, reason=DisposalReason.LIST_LEADERSHIP_APPROVED)
    notices.approved(disposal_list, by, step)
    notices.approval_needed(disposal_list)
    return disposal_list


def _head_approves(disposal_list, items, records, by, now):
    done = carry_out_at_head_approval(disposal_list, items, records, by, now)
    disposal_list.head_approved_by, disposal_list.head_approved_at = by, now
    remaining = [item for item in items if item.pk not in done]
    if remaining:
        disposal_list.state = ListState.HEAD_APPROVED
    else:
        disposal_list.state = ListState.EXECUTED
        disposal_list.executed_by, disposal_list.executed_at = by, now
    save_with_history(disposal_list, by=by, reason=DisposalReason.LIST_HEAD_APPROVED)


def _reason(disposal_list, item):
    """The reason written into the record's history: the item's own, or
    the list that decided it."""
    if item.reason:
        return item.reason
    if item.opinion:
        return item.opinion
    return _("Appraisal under list %(number)s") % {"number": disposal_list.number}


def carry_out_at_head_approval(disposal_list, items, records, by, now):
    """Weed, extend, keep permanently (records.services.disposition);
    returns the ids of the items carried out. A refusal of records rolls
    the whole approval back."""
    carried = []
    for item in items:
        if item.action not in ItemAction.at_head_approval():
            continue
        record = records[item.record_id]
        reason = _reason(disposal_list, item)
        try:
            if item.action == ItemAction.WEED:
                record_weed(record=record, reason=reason, by=by)
            elif item.action == ItemAction.EXTEND:
                record_extend_retention(record=record, years=item.extend_years, reason=reason, by=by)
            else:
                record_keep_permanently(record=record, reason=reason, by=by)
        except RecordActionRefused as refusal:
            raise DisposalRefused(refusal.message) from refusal
        item.carried_out_at = now
        carried.append(item)
    mark_carried_out(carried, by)
    return {item.pk for item in carried}


def mark_carried_out(items, by):
    """Save the items' carried_out_at with a history row each, in batches."""
    if items:
        bulk_update_with_history(
            items,
            ListItem,
            ["carried_out_at"],
            batch_size=BATCH_SIZE,
            default_user=by,
            default_change_reason=DisposalReason.ITEM_CARRIED_OUT,
        )
