"""A list's items: records added by their archive numbers (weeding lists
take any record on the shelf, R-DISP-1; appraisal lists the due ones,
R-DISP-2), a record weeded from its own page, a proposal changed, an item
struck off with a reason. The services (disposal.services) check every
record and refuse naming its archive number; nothing changes then."""
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from core.views import gate, refusal_to_form
from disposal import policies, queries
from disposal.exceptions import DisposalRefused
from disposal.forms import AddByNumberForm, ProposalForm, ReasonForm, WeedRecordForm
from disposal.models import ListKind
from disposal.services import item_strike, item_update, list_add_items, list_create
from disposal.views.common import GET_OR_POST, back, posted, proposal_label, to_list, viewable_item, viewable_list
from records.models import RecordStatus
from records.selectors import visible_records



def _added_message(request, count, disposal_list):
    messages.success(
        request,
        ngettext(
            "%(count)d record was put on list %(number)s.", "%(count)d records were put on list %(number)s.", count
        )
        % {"count": count, "number": disposal_list.number},
    )


@require_http_methods(GET_OR_POST)
def list_add(request, pk):
    """The drafter adds records by their archive numbers, with one proposal."""
    disposal_list = viewable_list(request, pk)
    if not policies.may_edit(request.user, disposal_list):
        return to_list(
            request, disposal_list, _("Only the drafter adds records, and only while the list is a draft or returned.")
        )
    form = AddByNumberForm(posted(request), user=request.user, kind=disposal_list.kind)
    if request.method == "POST" and form.is_valid():
        try:
            added = list_add_items(
                disposal_list=disposal_list, records=form.record_ids, by=request.user, **form.proposal()
            )
        except DisposalRefused as refusal:
            if refusal.field == "records":
                refusal.field = "archive_numbers"
            refusal_to_form(form, refusal)
        else:
            _added_message(request, len(added), disposal_list)
            return redirect("disposal_list_detail", disposal_list.pk)
    return render(request, "disposal/list_add.html", {"disposal_list": disposal_list, "form": form})


@require_http_methods(GET_OR_POST)
def item_edit(request, pk):
    """The drafter changes what is proposed for one record."""
    item = viewable_item(request, pk)
    disposal_list = item.disposal_list
    if not policies.may_edit(request.user, disposal_list):
        return to_list(
            request,
            disposal_list,
            _("Only the drafter changes a proposal, and only while the list is a draft or returned."),
        )
    initial = {
        name: getattr(item, name) for name in ("action", "extend_years", "receiving_body", "reason", "opinion")
    }
    form = ProposalForm(posted(request), kind=disposal_list.kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item_update(item=item, by=request.user, **form.proposal())
        except DisposalRefused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The proposal for %(record)s was changed.") % {
                "record": item.record.archive_number
            })
            return redirect("disposal_list_detail", disposal_list.pk)
    item.proposal_label = proposal_label(item)
    return render(request, "disposal/item_edit.html", {"item": item, "disposal_list": disposal_list, "form": form})


@require_http_methods(GET_OR_POST)
def item_strike_view(request, pk):
    """Strike one item off with a reason: its record is kept as it is
    (the drafter, the approver of the step, the archivist before execution)."""
    item = viewable_item(request, pk)
    disposal_list = item.disposal_list
    if request.method == "GET" and not policies.may_strike(request.user, disposal_list):
        return to_list(request, disposal_list, _("You cannot strike items off this list at its current step."))
    form = ReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            item_strike(item=item, by=request.user, reason=form.cleaned_data["reason"])
        except DisposalRefused as refusal:
            if refusal.field == "struck_reason":
                refusal.field = "reason"
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("%(record)s was struck off list %(number)s.") % {
                "record": item.record.archive_number, "number": disposal_list.number
            })
            return back(request, "disposal_list_detail", disposal_list.pk)
    item.proposal_label = proposal_label(item)
    return render(
        request,
        "disposal/item_strike.html",
        {"item": item, "disposal_list": disposal_list, "form": form, "next": request.GET.get("next", "")},
    )


def weeding_form(user, record, data=None):
    """The form of the record page's weeding panel: the archivist's open
    weeding lists, or a new one (R-DISP-1)."""
    return WeedRecordForm(data, lists=list(queries.editable_lists(user, ListKind.WEEDING)), auto_id="weed_%s")


@require_http_methods(GET_OR_POST)
def weed_record(request, pk):
    """From a record's page: the archivist puts the record on a weeding
    list with the reason (R-DISP-1); the department head decides."""
    gate(policies.may_draft(request.user))
    record = get_object_or_404(visible_records(request.user).filter(status__in=RecordStatus.catalogued()), pk=pk)
    form = weeding_form(request.user, record, posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                disposal_list = form.target_list() or list_create(kind=ListKind.WEEDING, year=None, by=request.user)
                list_add_items(
                    disposal_list=disposal_list, records=[record.pk], by=request.user, reason=form.cleaned_data["reason"]
                )
        except DisposalRefused as refusal:
            refusal_to_form(form, refusal)
        else:
            _added_message(request, 1, disposal_list)
            return redirect("record_detail", record.pk)
    return render(request, "disposal/weed_record.html", {"record": record, "form": form})
