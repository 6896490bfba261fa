"""The archivist's 催还: a reminder to the borrower of an overdue loan,
in the app and by mail (R-LEND-5), with a line in the loan's history. At
most one a day per loan; the nightly reminders (lending.notices.
send_reminders) go out whatever the archivist does."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import acting_as, save_with_history
from lending import notices
from lending.exceptions import LendingRefused
from lending.reasons import LendingReason
from lending.services._common import _local, _locked_loan, _require_handler


@transaction.atomic
def loan_remind(*, loan, by):
    """Remind the borrower of an overdue loan to bring it back. The loan
    row is locked before the checks, so two presses at once send one
    reminder; a second press the same day says when the first went."""
    _require_handler(by)
    loan = _locked_loan(loan)
    now = timezone.now()
    if not loan.is_open:
        raise LendingRefused(_("This loan was closed on %(date)s.") % {"date": _local(loan.returned_at)})
    if loan.due_at > now:
        raise LendingRefused(
            _("This loan is not overdue: it is due back on %(due)s.") % {"due": _local(loan.due_at)}
        )
    if loan.reminded_at is not None and timezone.localdate(loan.reminded_at) == timezone.localdate(now):
        raise LendingRefused(
            _("%(name)s was already reminded today, at %(time)s. One reminder a day is enough; try again tomorrow.")
            % {"name": loan.borrower.display_name, "time": timezone.localtime(loan.reminded_at).strftime("%H:%M")}
        )
    loan.reminded_at = now
    with acting_as(by):
        save_with_history(loan, by=by, reason=LendingReason.LOAN_REMINDED)
    notices.remind(loan, by)
    return loan
