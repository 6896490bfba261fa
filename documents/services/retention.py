"""The distribution register's retention (R-CTRL-7): its lines are kept
DocumentsPolicy.register_retention_after_void_years after a document is
voided (or superseded) and register_retention_after_lapse_years after a
time-limited one lapses; then they are listed as due for disposal
(documents.selectors.lines_due_for_disposal). The archivist proposes a
purge list of due lines, the department head approves it (never their own
proposal) or refuses it. Approval only marks the lines
(ControlledCopy.purge): the register views leave them out, the rows stay
and the purge list is their tombstone. Nothing is deleted."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import save_with_history
from core.text import join_items
from documents import numbering, policies, selectors
from documents.exceptions import DocumentsRefused
from documents.models import ControlledCopy, PurgeState, RegisterPurge
from documents.reasons import DocumentsReason
from documents.services._core import text


def _refuse_not_due(lines, message, *, proposed_in=None):
    """Every line must be due for disposal today, with the policy values
    read now (they may have changed since a list was proposed); the lines
    of `proposed_in` are checked as if that list were not there."""
    due = selectors.lines_due_for_disposal(timezone.localdate(), proposed_in=proposed_in)
    due = set(due.filter(pk__in=[line.pk for line in lines]).values_list("pk", flat=True))
    not_due = [line.control_number for line in lines if line.pk not in due]
    if not_due:
        raise DocumentsRefused(message % {"numbers": join_items(sorted(not_due))}, field="lines")


@transaction.atomic
def purge_propose(*, by, lines):
    """The archivist proposes register lines past their retention for
    disposal (R-CTRL-7). Refused for a line not due, already disposed of or
    already in a list awaiting the head."""
    if not policies.may_distribute(by):
        raise DocumentsRefused(_("Only the archivist proposes register lines for disposal."))
    pks = sorted({line.pk for line in lines or []})
    if not pks:
        raise DocumentsRefused(_("Choose the register lines to dispose of."), field="lines")
    locked = list(ControlledCopy.objects.select_for_update().filter(pk__in=pks).order_by("pk"))
    _refuse_not_due(locked, _("These register lines are not due for disposal: %(numbers)s."))
    purge = RegisterPurge(
        number=numbering.allocate_purge_number(timezone.localdate().year), proposed_by=by, proposed_at=timezone.now()
    )
    save_with_history(purge, by=by, reason=DocumentsReason.PURGE_PROPOSED)
    purge.proposed_lines.set(locked)
    return purge


def _locked_proposed(purge, by):
    purge = RegisterPurge.objects.select_for_update().get(pk=purge.pk)
    if purge.state != PurgeState.PROPOSED:
        raise DocumentsRefused(
            _("Purge list %(number)s is already decided: %(state)s.")
            % {"number": purge.number, "state": purge.get_state_display()}
        )
    if not policies.may_decide_purge(by, purge):
        raise DocumentsRefused(_("Only the department head decides a purge list, and never their own proposal."))
    return purge


@transaction.atomic
def purge_approve(*, purge, by):
    """The department head approves (R-CTRL-7): each line is marked as
    disposed of by this list, with history; nothing is deleted. Refused
    when a line is no longer due (the retention was lengthened since)."""
    purge = _locked_proposed(purge, by)
    lines = list(ControlledCopy.objects.select_for_update().filter(purges_proposed=purge).order_by("pk"))
    _refuse_not_due(
        lines,
        _("These register lines are no longer due for disposal: %(numbers)s. Refuse the list."),
        proposed_in=purge,
    )
    for line in lines:
        line.purge = purge
        save_with_history(line, by=by, reason=DocumentsReason.PURGE_APPROVED)
    purge.state, purge.decided_by, purge.decided_at = PurgeState.APPROVED, by, timezone.now()
    return save_with_history(purge, by=by, reason=DocumentsReason.PURGE_APPROVED)


@transaction.atomic
def purge_refuse(*, purge, by, reason):
    """The department head refuses, saying why; the lines stay in the
    register and may be proposed again."""
    purge = _locked_proposed(purge, by)
    purge.refusal_reason = text(
        reason, model=RegisterPurge, field="refusal_reason", missing=_("Reason for refusal: say why.")
    )
    purge.state, purge.decided_by, purge.decided_at = PurgeState.REFUSED, by, timezone.now()
    return save_with_history(purge, by=by, reason=DocumentsReason.PURGE_REFUSED)
