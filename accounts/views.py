"""The account log for leadership: who changed which account, role,
department head or archive department, and when (separation of duties);
and everyone's notices (accounts.notices), whatever app sent them."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import AccountEvent
from accounts.notices import notice_mark_read, notices_mark_all_read, notices_of, unread_of
from core.views import gate

EVENTS_PER_PAGE = 50
NOTICES_PER_PAGE = 20


def may_view_account_changes(user):
    return user.has_perm("accounts.view_accountevent")


@require_safe
def account_changes(request):
    gate(may_view_account_changes(request.user))
    events = AccountEvent.objects.select_related("user", "department").order_by("-at", "-pk")
    page_obj = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "accounts/accountevent_list.html", {"page_obj": page_obj})


# --- notices: each person reads only their own ------------------------------------------


def _is_local(request, url):
    return url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())


@require_safe
def notice_list(request):
    """One's notices, newest first, 20 a page."""
    notices = notices_of(request.user)
    page_obj = Paginator(notices, NOTICES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/notice_list.html",
        {"notices": page_obj, "page_obj": page_obj, "unread": unread_of(request.user).exists()},
    )


@require_POST
def notice_read(request, pk):
    """Mark one notice read; with `open`, go on to what it is about, else
    back to the posted `next` (this site only)."""
    notice = notice_mark_read(notice=get_object_or_404(notices_of(request.user), pk=pk))
    if "open" in request.POST and notice.url and _is_local(request, notice.url):
        return redirect(notice.url)
    target = request.POST.get("next")
    if target and _is_local(request, target):
        return redirect(target)
    return redirect("notice_list")


@require_POST
def notices_read_all(request):
    if notices_mark_all_read(user=request.user):
        messages.success(request, _("All notices are marked as read."))
    return redirect("notice_list")
