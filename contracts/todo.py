"""What contracts have waiting for the viewer, on the home page's to-do
list (records.todo; registered in ContractsConfig.ready()): contracts whose
term ends within policies.EXPIRING_SOON_DAYS, for those who keep the ledger
and the department head (R-CONTRACT), linking to the ledger filtered the
same way. The expired ones still kept are listed by the home panel
(contracts.views.home_panel)."""
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from contracts import policies, selectors
from records.todo import item_if, register_todo


def expiring_items(request):
    user = request.user
    if not (policies.sees_contract_reminders(user) and policies.may_view_ledger(user)):
        return []
    days = policies.EXPIRING_SOON_DAYS
    expiring = selectors.expiring_contracts(user, today=timezone.localdate(), days=days)
    return item_if(
        True,
        _("Contracts ending within %(days)s days") % {"days": days},
        expiring,
        f"{reverse('contract_ledger')}?{urlencode({'expiring_within': days})}",
        tone="warning",
    )


def register_todos():
    register_todo("contracts.expiring", expiring_items, order=50)
