"""Handovers (移交, R-FILE-3): the items one submitter handed over and the
archivist received together, on screen and as the list both sides sign,
and the list of past handovers (issue 16). Who may see one is
records.policies.may_print_handover; an item the reader may not see is
named by its archive number only."""
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.views import gate
from records import policies
from records.access_log import log_access_many
from records.filing_registers import all_handover_items, handover_items, handover_register
from records.forms_filing import HandoverFilterForm
from records.models import AccessAction, Handover
from records.paging import page_of
from records.selectors import filter_handovers, visible_handovers


@require_safe
def handover_list(request):
    """Past handovers: who handed over, who received, when, how many items
    and pages, each linked to its page. Only numbers and names are listed,
    no record, so nothing here is access-logged."""
    gate(request.user.is_authenticated and request.user.is_active)
    form = HandoverFilterForm(request.GET or None)
    handovers = visible_handovers(request.user)
    if form.is_valid():
        handovers = filter_handovers(handovers, **form.cleaned_data)
    page = page_of(request, handovers)
    return render(
        request,
        "records/filing/handover_list.html",
        {
            "form": form, "handovers": page.object_list, "page_obj": page,
            "sees_all": request.user.has_perm("records.view_handover"),
        },
    )


def _handover(request, pk):
    handover = get_object_or_404(Handover.objects.select_related("handed_over_by", "received_by"), pk=pk)
    gate(policies.may_print_handover(request.user, handover), hide=True)
    return handover


def _log_listed(request, handover, items, action):
    """Confidential items shown to a reader who may see them (R-ACCESS)."""
    where = _("Handover %(number)s") % {"number": handover.number}
    records = [item.record for item in items if item.shown]
    log_access_many(user=request.user, records=records, action=action, where=f"{where} · {request.get_full_path()}")


@require_safe
def handover_detail(request, pk):
    """The handover's items, a page at a time, with the totals of all of
    them; an item the reader may not see by its number only. The printed
    list (handover_pdf) holds every item."""
    handover = _handover(request, pk)
    page = page_of(request, all_handover_items(handover))
    items = handover_items(handover, viewer=request.user, items=page.object_list)
    _log_listed(request, handover, items, AccessAction.LISTED)
    totals = handover.items.aggregate(
        count=Count("pk"), pages=Sum("pages_received"), copies=Sum("copies_received")
    )
    return render(
        request,
        "records/filing/handover_detail.html",
        {
            "handover": handover,
            "items": items,
            "page_obj": page,
            "total_items": totals["count"],
            "total_pages": totals["pages"] or 0,
            "total_copies": totals["copies"] or 0,
        },
    )


@require_safe
def handover_pdf(request, pk):
    """移交清册: the list both sides sign (R-FILE-3)."""
    handover = _handover(request, pk)
    register = handover_register(handover, viewer=request.user)
    _log_listed(request, handover, register.rows, AccessAction.PRINTED)
    return register.response("pdf")
