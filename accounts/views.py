"""The account log for leadership: who changed which account, role,
department head or archive department, and when (separation of duties)."""
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.models import AccountEvent
from core.views import gate

EVENTS_PER_PAGE = 50


def may_view_account_changes(user):
    return user.has_perm("accounts.view_accountevent")


@require_safe
def account_changes(request):
    gate(may_view_account_changes(request.user))
    events = AccountEvent.objects.select_related("user", "department").order_by("-at", "-pk")
    page_obj = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "accounts/accountevent_list.html", {"page_obj": page_obj})
