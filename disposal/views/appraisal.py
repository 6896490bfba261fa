"""The year-end appraisal (鉴定, R-DISP-2): the archivist picks a year and
sees every record on the books whose retention ends by 31 December of it,
and every weeded record, by class and year, with location, medium, copies,
files and retention; the records that cannot be disposed of are shown
apart with the reason (records.disposability: a hold, a loan or a request,
missing, permanent; or another open list). Ticked records, or all that
may be listed, go on a new or an open list of the year with one proposal
(disposal.services.list_add_items).

The page reads the whole selection in a few queries per 5,000 records
(disposal.queries.appraisal) and one query for each page of 50 shown."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from core.text import join_clauses
from core.views import gate, refusal_to_form
from disposal import policies, queries
from disposal.exceptions import DisposalRefused
from disposal.forms import AppraisalAddForm, AppraisalForm
from disposal.models import ListKind
from disposal.services import list_add_items, list_create
from disposal.views.common import GET_OR_POST, log_listed

PER_PAGE = 50


@require_http_methods(GET_OR_POST)
def appraisal(request):
    user = request.user
    gate(policies.may_draft(user))
    data = request.GET if "year" in request.GET else {"year": timezone.localdate().year}
    form = AppraisalForm(data)
    if not form.is_valid():
        return render(request, "disposal/appraisal.html", {"form": form})
    year, category = form.cleaned_data["year"], form.cleaned_data["category"]
    result = queries.appraisal(year, category)
    lists = list(queries.editable_lists(user, ListKind.APPRAISAL, year))
    posted = request.POST if request.method == "POST" else None
    add_form = AppraisalAddForm(posted, lists=lists, initial_list=request.GET.get("list"))
    if posted is not None and add_form.is_valid():
        ids = result.listable if add_form.cleaned_data["scope"] == add_form.ALL else add_form.ticked()
        try:
            disposal_list, added = _add(user, year, add_form, ids)
        except DisposalRefused as refusal:
            refusal_to_form(add_form, refusal)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d record was put on list %(number)s.",
                    "%(count)d records were put on list %(number)s.",
                    len(added),
                )
                % {"count": len(added), "number": disposal_list.number},
            )
            return redirect("disposal_list_detail", disposal_list.pk)
    return render(request, "disposal/appraisal.html", _context(request, form, result, add_form))


def _add(user, year, add_form, record_ids):
    """Onto the list chosen, or a new one; a refusal leaves no new list
    behind (nor takes its number)."""
    with transaction.atomic():
        disposal_list = add_form.target_list() or list_create(
            kind=ListKind.APPRAISAL, year=year, by=user, opinion=add_form.cleaned_data["list_opinion"]
        )
        added = list_add_items(disposal_list=disposal_list, records=record_ids, by=user, **add_form.proposal())
    return disposal_list, added


def _context(request, form, result, add_form):
    listable = Paginator(result.listable, PER_PAGE).get_page(request.GET.get("page"))
    kept = Paginator(result.blocked, PER_PAGE).get_page(request.GET.get("kept_page"))
    listable.records = queries.records_in_order(listable.object_list)
    kept.records = queries.records_in_order(kept.object_list)
    for record in kept.records:
        record.reasons = join_clauses(result.problems.get(record.pk, []))
    log_listed(request, [*listable.records, *kept.records], _("Year-end appraisal"))
    return {
        "form": form,
        "result": result,
        "add_form": add_form,
        "listable": listable,
        "kept": kept,
        "ticked": {str(pk) for pk in add_form.ticked()} if add_form.is_bound else set(),
    }
