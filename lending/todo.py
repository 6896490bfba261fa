"""What lending has waiting for the viewer, on the home page's to-do list
(records.todo; registered in LendingConfig.ready()):

- the archivist: approved requests to hand out, loans overdue, open
  incidents (R-LEND-1, R-LEND-5);
- those who sign: requests and extensions waiting for their signature
  (R-LEND-3, R-LEND-4), weighed as the approvals inbox weighs them;
- every borrower: their own loans overdue or due in the next days, and
  approved requests to collect (R-LEND-2, R-LEND-5)."""
import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lending import policies, selectors
from lending.models import Loan, LoanRequest, RequestState
from records.todo import TodoItem, item_if, register_todo

# A loan due within this many days shows on its borrower's list.
DUE_SOON_DAYS = 3


def desk_items(request):
    """The archivist's desk: to hand out, overdue, open incidents."""
    if not policies.may_handle(request.user):
        return []
    lists = selectors.desk(timezone.now())
    desk = reverse("lending_desk")
    return [
        *item_if(True, _("Approved loans to hand out"), lists["to_hand_out"], f"{desk}#to-hand-out"),
        *item_if(True, _("Loans overdue"), lists["overdue"], f"{desk}#overdue", tone="danger"),
        *item_if(True, _("Lending incidents not yet resolved"), selectors.open_incidents(), f"{desk}#incidents", tone="warning"),
    ]


def approval_items(request):
    """Requests and extensions waiting for the viewer's signature."""
    user = request.user
    if not policies.may_approve_anything(user):
        return []
    waiting = selectors.waiting_for(user)
    # The navigation bar counts the same; it reads what was weighed here.
    request.lending_waiting = waiting
    return [TodoItem(_("Loan requests waiting for your approval"), len(waiting), reverse("lending_inbox"))]


def borrower_items(request):
    """The viewer's own loans overdue or due soon, and approved requests
    waiting for them at the archive."""
    user = request.user
    now = timezone.now()
    mine = reverse("lending_mine")
    loans = Loan.objects.filter(borrower=user, returned_at__isnull=True)
    soon = now + datetime.timedelta(days=DUE_SOON_DAYS)
    approved = LoanRequest.objects.filter(requester=user, state=RequestState.APPROVED)
    return [
        *item_if(True, _("Your loans overdue: please return them"), loans.filter(due_at__lt=now), f"{mine}#loans", tone="danger"),
        *item_if(
            True,
            _("Your loans due in the next %(days)s days") % {"days": DUE_SOON_DAYS},
            loans.filter(due_at__gte=now, due_at__lt=soon),
            f"{mine}#loans",
            tone="warning",
        ),
        *item_if(True, _("Your approved requests, ready at the archive"), approved, f"{mine}#requests"),
    ]


def register_todos():
    register_todo("lending.desk", desk_items, order=20)
    register_todo("lending.approvals", approval_items, order=25)
    register_todo("lending.borrower", borrower_items, order=60)
