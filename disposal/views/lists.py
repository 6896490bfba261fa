"""Lists as documents (R-DISP-1..3): the index (by kind, state and year),
a new list, a list's page (its items, the struck-off ones apart, its state,
who signed when, and what the viewer may do now), the appraisal opinion,
submitting, and returning with a reason. Approving and executing have
their confirmation pages (disposal.views.decisions); items are changed in
disposal.views.items. Who may do what is disposal.policies; every change
is a disposal.services call whose refusal the page shows."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.views import gate, refusal_to_form, refusal_to_message
from disposal import policies, queries
from disposal.exceptions import DisposalRefused
from disposal.forms import ConfirmForm, ListCreateForm, ListFilterForm, OpinionForm, ReasonForm
from disposal.models import ItemAction, ListKind
from disposal.services import list_create, list_return, list_submit, list_update
from disposal.views.common import (
    GET_OR_POST,
    ITEMS_PER_PAGE,
    as_seen,
    log_listed,
    posted,
    to_list,
    viewable_list,
    with_labels,
)
from records.paging import page_of


@require_safe
def list_index(request):
    """Every list, newest first, 20 a page, by kind, state and year."""
    gate(policies.may_view(request.user))
    form = ListFilterForm(request.GET or None)
    page = page_of(request, queries.lists_filtered(**form.filters()))
    return render(
        request,
        "disposal/list_index.html",
        {"form": form, "page_obj": page, "lists": list(page.object_list), "may_draft": policies.may_draft(request.user)},
    )


@require_http_methods(GET_OR_POST)
def list_new(request):
    """A new weeding list (R-DISP-1) or appraisal list (R-DISP-2), numbered
    when it is created."""
    gate(policies.may_draft(request.user))
    form = ListCreateForm(posted(request), initial={"kind": request.GET.get("kind") or ListKind.WEEDING})
    if request.method == "POST" and form.is_valid():
        try:
            disposal_list = list_create(by=request.user, **form.cleaned_data)
        except DisposalRefused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("List %(number)s was drafted.") % {"number": disposal_list.number})
            return redirect("disposal_list_detail", disposal_list.pk)
    return render(request, "disposal/list_new.html", {"form": form})


def _counts(disposal_list):
    """(counts by proposal of the live items as [(label, n)], carried out
    likewise, struck off, whether any live item destroys, any is live)."""
    counts = queries.item_counts(disposal_list)
    labelled = {
        key: [(ItemAction(action).label, count) for action, count in sorted(counts[key].items())]
        for key in ("live", "carried")
    }
    return labelled, counts


def _permissions(user, disposal_list, step):
    return {
        "edit": policies.may_edit(user, disposal_list),
        "approve": policies.may_approve(user, disposal_list, step),
        "return": policies.may_return(user, disposal_list, step),
        "strike": policies.may_strike(user, disposal_list, step),
        "execute": policies.may_execute(user, disposal_list, step),
        "print": policies.may_print_registers(user),
    }


@require_safe
def list_detail(request, pk):
    disposal_list = viewable_list(request, pk)
    labelled, counts = _counts(disposal_list)
    live_destroy = bool(counts["live"].get(ItemAction.DESTROY))
    step = policies.next_step(disposal_list, has_live_destroy=live_destroy)
    items = Paginator(queries.items_of(disposal_list, struck_off=False), ITEMS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    struck = Paginator(queries.items_of(disposal_list, struck_off=True), ITEMS_PER_PAGE).get_page(
        request.GET.get("struck_page")
    )
    items.items, struck.items = with_labels(items.object_list), with_labels(struck.object_list)
    destruction = queries.destruction_of_list(disposal_list)
    log_listed(request, [item.record for item in [*items.items, *struck.items]], disposal_list.number)
    return render(
        request,
        "disposal/list_detail.html",
        {
            "disposal_list": disposal_list,
            "step": step,
            "live_counts": labelled["live"],
            "carried_counts": labelled["carried"],
            "live_total": sum(counts["live"].values()),
            "live_destroy": live_destroy,
            "struck_total": counts["struck"],
            "items": items,
            "struck": struck,
            "destruction": destruction,
            "witnesses": queries.current_witnesses(destruction),
            "may": _permissions(request.user, disposal_list, step),
        },
    )


@require_http_methods(GET_OR_POST)
def list_opinion(request, pk):
    """The drafter writes the list's appraisal opinion (鉴定意见)."""
    disposal_list = viewable_list(request, pk)
    if not policies.may_edit(request.user, disposal_list):
        return to_list(request, disposal_list, _("Only the drafter changes a list, and only while it is a draft or returned."))
    form = OpinionForm(posted(request), initial={"opinion": disposal_list.opinion})
    if request.method == "POST" and form.is_valid():
        try:
            list_update(disposal_list=disposal_list, by=request.user, opinion=form.cleaned_data["opinion"])
        except DisposalRefused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The appraisal opinion was saved."))
            return redirect("disposal_list_detail", disposal_list.pk)
    return render(request, "disposal/list_opinion.html", {"disposal_list": disposal_list, "form": form})


@require_POST
def list_submit_view(request, pk):
    """The drafter sends the list to the department head."""
    disposal_list = viewable_list(request, pk)
    try:
        list_submit(disposal_list=as_seen(disposal_list, request.POST.get("state")), by=request.user)
    except DisposalRefused as refusal:
        refusal_to_message(request, refusal)
    else:
        messages.success(request, _("List %(number)s was sent to the department head.") % {
            "number": disposal_list.number
        })
    return redirect("disposal_list_detail", disposal_list.pk)


@require_http_methods(GET_OR_POST)
def list_return_view(request, pk):
    """Send the list back to its drafter, with the reason they read."""
    disposal_list = viewable_list(request, pk)
    if request.method == "GET" and not policies.may_return(request.user, disposal_list):
        return to_list(request, disposal_list, _("This list is not waiting for you: you cannot return it now."))
    form = ReasonForm(posted(request))
    confirm = ConfirmForm(posted(request), initial={"state": disposal_list.state})
    if request.method == "POST" and form.is_valid() and confirm.is_valid():
        try:
            list_return(
                disposal_list=as_seen(disposal_list, confirm.cleaned_data["state"]),
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except DisposalRefused as refusal:
            if refusal.field == "return_reason":
                refusal.field = "reason"
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("List %(number)s was returned to its drafter.") % {
                "number": disposal_list.number
            })
            return redirect("disposal_list_detail", disposal_list.pk)
    return render(
        request, "disposal/list_return.html", {"disposal_list": disposal_list, "form": form, "confirm_form": confirm}
    )
