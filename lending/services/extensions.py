"""Extensions of a loan: the borrower asks, the archive's head decides,
never beyond LendingPolicy.max_loan_days from the hand-out (R-LEND-2)."""
from django.db import transaction
from django.utils.translation import gettext as _

from core.history import acting_as, save_with_history
from lending import notices, policies
from lending.exceptions import LendingRefused
from lending.models import Extension, ExtensionState, LendingPolicy
from lending.services._common import _local, _locked_loan, _text
from lending.reasons import LendingReason


@transaction.atomic
def extension_request(*, loan, by, new_due_at, reason):
    """The borrower (or the archivist for them) asks to keep a record
    longer; the archive's head decides. Never beyond
    LendingPolicy.max_loan_days from the hand-out."""
    reason = _text(reason, _("Reason: say why the record is needed longer."))
    loan = _locked_loan(loan)
    if not policies.may_request_extension(by, loan):
        if not loan.is_open:
            raise LendingRefused(_("This loan is closed; there is nothing to extend."))
        raise LendingRefused(_("Only the borrower or the archivist can ask to extend this loan."))
    if new_due_at <= loan.due_at:
        raise LendingRefused(
            _("New due date: choose a time after the current one, %(due)s.") % {"due": _local(loan.due_at)}
        )
    latest = policies.latest_due_at(loan)
    if new_due_at > latest:
        # R-LEND-2
        raise LendingRefused(
            _("New due date: at most %(latest)s, %(days)d days after the hand-out.")
            % {"latest": _local(latest), "days": LendingPolicy.current().max_loan_days}
        )
    if loan.extensions.filter(state=ExtensionState.PENDING).exists():
        raise LendingRefused(_("An extension of this loan is already waiting for a decision."))
    if not policies.extension_approvers(loan):
        raise LendingRefused(_("Nobody can decide this extension; ask the administrator to name the head."))
    with acting_as(by):
        extension = Extension(loan=loan, requested_by=by, new_due_at=new_due_at, reason=reason)
        save_with_history(extension, by=by, reason=LendingReason.EXTENSION_REQUESTED)
        notices.extension_needed(extension)
    return extension


@transaction.atomic
def extension_decide(*, extension, by, approve, reason=""):
    """The archive's head extends a loan or refuses with a reason
    (R-LEND-2); the limit is checked again."""
    reason = _text(reason, "", required=False)
    extension = Extension.objects.select_for_update(of=("self",)).select_related("loan").get(pk=extension.pk)
    loan = _locked_loan(extension.loan)
    extension.loan = loan
    if by.pk in (loan.borrower_id, extension.requested_by_id):
        raise LendingRefused(_("You cannot decide on your own extension."))
    if extension.state != ExtensionState.PENDING:
        raise LendingRefused(
            _("This extension is %(state)s, not waiting for a decision.") % {"state": extension.get_state_display()}
        )
    if not policies.may_decide_extension(by, extension):
        # R-LEND-2
        raise LendingRefused(_("Only the head of the archive's department decides extensions."))
    if not approve and not reason:
        raise LendingRefused(_("Reason: say why the extension is refused."))
    if approve:
        if not loan.is_open:
            raise LendingRefused(_("This loan is closed; there is nothing to extend."))
        latest = policies.latest_due_at(loan)
        if extension.new_due_at > latest:
            # R-LEND-2
            raise LendingRefused(
                _("New due date: at most %(latest)s, %(days)d days after the hand-out.")
                % {"latest": _local(latest), "days": LendingPolicy.current().max_loan_days}
            )
    with acting_as(by):
        extension.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
        extension.decided_by = by
        extension.decision_reason = reason
        decision = LendingReason.EXTENSION_APPROVED if approve else LendingReason.EXTENSION_REFUSED
        save_with_history(extension, by=by, reason=decision)
        if approve:
            loan.due_at = extension.new_due_at
            save_with_history(loan, by=by, reason=LendingReason.EXTENSION_APPROVED)
        notices.extension_handled(extension)
        notices.extension_decided(extension)
    return extension
