"""The record list is the search page (R-FILE-4): with a query or a filter it
asks the full-text index; with neither it lists the newest records. A row
found by its files or by a field it does not show says where it matched
(records.search.excerpts)."""
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from records.access_log import log_access_many
from records.forms_search import RecordSearchForm
from records.models import AccessAction
from records.paging import CappedPaginator
from records.search import has_criteria, search_records
from records.search.excerpts import why_matched
from records.selectors import visible_records

RECORDS_PER_PAGE = 20


@require_safe
def record_list(request):
    form = RecordSearchForm(request.GET or None)
    text, filters, order = form.criteria()
    if has_criteria(text, filters):
        results = search_records(request.user, text, filters, order)
    else:
        results = visible_records(request.user).select_related("category", "location").order_by("-pk")
    page = CappedPaginator(results, RECORDS_PER_PAGE).get_page(request.GET.get("page"))
    records = list(page.object_list)
    # Only the files of the page's records, read through visible_records above.
    matches = why_matched(records, text) if text else {}
    for record in records:
        record.search_match = matches.get(record.pk)
    # The confidential records of the page shown leave a line each (R-ACCESS).
    log_access_many(
        user=request.user,
        records=records,
        action=AccessAction.LISTED,
        where=f"{_('Record search')} · {request.get_full_path()}",
    )
    return render(
        request,
        "records/record_list.html",
        {"form": form, "page_obj": page, "records": records, "query": text},
    )
