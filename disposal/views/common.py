"""What the disposal screens share: the list a page is about (behind the
access gate), the state its confirmation page showed, the way back after
an action, and the access log of confidential records a page lists
(R-ACCESS). The gate and the refusals are core.views'."""
import copy

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.views import gate
from disposal import policies
from disposal.models import DisposalList, ItemAction, ListItem, ListState
from records.access_log import log_access_many
from records.models import AccessAction

GET_OR_POST = ["GET", "HEAD", "POST"]
# Items a page of a list shows.
ITEMS_PER_PAGE = 50


def viewable_list(request, pk):
    """The list of the URL, for those who read lists (disposal.policies.
    may_view: the archivist, the department head, leadership); 403 for
    everyone else."""
    gate(policies.may_view(request.user))
    return get_object_or_404(
        DisposalList.objects.select_related(
            "drafted_by", "head_approved_by", "leadership_approved_by", "returned_by", "executed_by"
        ),
        pk=pk,
    )


def viewable_item(request, pk):
    gate(policies.may_view(request.user))
    return get_object_or_404(ListItem.objects.select_related("disposal_list", "record"), pk=pk)


def as_seen(disposal_list, posted_state):
    """The list as the page the user acted on showed it: its state then, so
    that the service refuses a list that moved on meanwhile (another
    approver signed it, it was returned)."""
    if posted_state not in ListState.values:
        return disposal_list
    seen = copy.copy(disposal_list)
    seen.state = posted_state
    return seen


def back(request, default, *args):
    """Redirect to the posted `next` (this site only), else to `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default, *args)


def to_list(request, disposal_list, message=None):
    """Back to the list's page, with a message why the page asked for is
    not offered (the step the list waits for is someone else's)."""
    if message:
        messages.warning(request, message)
    return redirect("disposal_list_detail", disposal_list.pk)


def log_listed(request, records, title):
    """Confidential records a page names leave a line each (R-ACCESS)."""
    log_access_many(
        user=request.user, records=records, action=AccessAction.LISTED, where=f"{title} · {request.get_full_path()}"
    )


def proposal_label(item):
    """What the list proposes for the record, in the registers' words."""
    if item.action == ItemAction.EXTEND and item.extend_years:
        return ngettext(
            "Extend retention by %(years)d year", "Extend retention by %(years)d years", item.extend_years
        ) % {"years": item.extend_years}
    if item.action == ItemAction.TRANSFER and item.receiving_body:
        return _("Transfer out to %(body)s") % {"body": item.receiving_body}
    return item.get_action_display()


def with_labels(items):
    items = list(items)
    for item in items:
        item.proposal_label = proposal_label(item)
    return items


def posted(request):
    """The posted data, or None on GET: an empty POST is still bound, so a
    confirmation button with no fields is a submission."""
    return request.POST if request.method == "POST" else None
