"""Lists as documents: drafting, the opinion, submitting, returning
(R-DISP-1, R-DISP-2). Approvals are in disposal.services.approvals,
execution in disposal.services.execution."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import save_with_history
from disposal import notices, policies
from disposal.exceptions import DisposalRefused
from disposal.models import DisposalList, ListKind, ListState
from disposal.numbering import allocate_list_number
from disposal.reasons import DisposalReason
from disposal.services._common import (
    locked_list,
    recheck_live_items,
    refuse_if_moved_on,
    refuse_state,
    text,
    withdraw_confirmations,
)
from records.models.record import RECORD_YEARS


def _year(kind, year):
    """The appraisal year: this year or an earlier one; a weeding list
    without one takes this year."""
    this_year = timezone.localdate().year
    if year in (None, "") and kind == ListKind.WEEDING:
        return this_year
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise DisposalRefused(_("Year: enter a year such as %(year)d.") % {"year": this_year}, field="year") from None
    if year > this_year:
        raise DisposalRefused(
            _("%(year)d has not ended yet: a list covers this year (%(this_year)d) or an earlier one.")
            % {"year": year, "this_year": this_year},
            field="year",
        )
    if year < RECORD_YEARS[0]:
        raise DisposalRefused(_("Year: no record is older than %(year)d.") % {"year": RECORD_YEARS[0]}, field="year")
    return year


@transaction.atomic
def list_create(*, kind, year, by, opinion=""):
    """Draft a weeding list (R-DISP-1) or a year-end appraisal list
    (R-DISP-2) with the next number of the calendar year (XH-2026-0001,
    gapless: taken in this transaction). A year still to come is refused."""
    if not policies.may_draft(by):
        raise DisposalRefused(_("Only the archivist drafts weeding and disposal lists."))
    if kind not in ListKind.values:
        raise DisposalRefused(_("Choose a weeding list or an appraisal list."), field="kind")
    year = _year(kind, year)
    opinion = text(opinion, field="opinion")
    disposal_list = DisposalList(
        number=allocate_list_number(timezone.localdate().year), kind=kind, year=year, opinion=opinion, drafted_by=by
    )
    return save_with_history(disposal_list, by=by, reason=DisposalReason.LIST_DRAFTED)


@transaction.atomic
def list_update(*, disposal_list, by, opinion):
    """The drafter writes the list's appraisal opinion (鉴定意见)."""
    disposal_list = locked_list(disposal_list)
    if not policies.may_edit(by, disposal_list):
        raise DisposalRefused(_("Only the drafter changes a list, and only while it is a draft or returned."))
    disposal_list.opinion = text(opinion, field="opinion")
    return save_with_history(disposal_list, by=by, reason=DisposalReason.LIST_EDITED)


@transaction.atomic
def list_submit(*, disposal_list, by):
    """The drafter sends the list to the department head. A list with no
    live item is refused; every item is checked again under its record's
    lock (a record lent, held or changed since listing is named)."""
    seen, disposal_list = disposal_list, locked_list(disposal_list)
    refuse_if_moved_on(seen, disposal_list)
    if not policies.may_edit(by, disposal_list):
        raise DisposalRefused(_("Only the drafter submits a list, and only while it is a draft or returned."))
    if not policies.live_items(disposal_list).exists():
        raise DisposalRefused(_("List %(number)s has no items: add records before submitting it.") % {
            "number": disposal_list.number
        })
    recheck_live_items(disposal_list)
    disposal_list.state = ListState.SUBMITTED
    disposal_list.submitted_at = timezone.now()
    save_with_history(disposal_list, by=by, reason=DisposalReason.LIST_SUBMITTED)
    notices.approval_needed(disposal_list, policies.STEP_HEAD)
    return disposal_list


@transaction.atomic
def list_return(*, disposal_list, by, reason):
    """Send the list back to its drafter with a reason, from any step
    before execution (by the approver of that step, or by the archivist
    once it is approved). Its approvals are void: the drafter edits and
    submits it again under the same number, and it is signed again. What
    the head's approval already carried out (extensions, permanent
    keeping, weeding) stays done; witnesses confirm again."""
    seen, disposal_list = disposal_list, locked_list(disposal_list)
    refuse_if_moved_on(seen, disposal_list)
    step = policies.next_step(disposal_list)
    if step in (None, policies.STEP_DRAFTER):
        refuse_state(disposal_list, _("List %(number)s is “%(state)s”: there is nothing to return."))
    if not policies.may_return(by, disposal_list, step):
        raise DisposalRefused(_("Only the approver it waits for, or the archivist once approved, can return this list."))
    disposal_list.return_reason = text(
        reason, field="return_reason", missing=_("Reason for return: say what the drafter should change.")
    )
    disposal_list.state = ListState.RETURNED
    disposal_list.returned_by, disposal_list.returned_at = by, timezone.now()
    disposal_list.head_approved_by = disposal_list.head_approved_at = None
    disposal_list.leadership_approved_by = disposal_list.leadership_approved_at = None
    save_with_history(disposal_list, by=by, reason=DisposalReason.LIST_RETURNED)
    withdraw_confirmations(disposal_list, by)
    notices.returned(disposal_list, by, disposal_list.return_reason)
    return disposal_list

