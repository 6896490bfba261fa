"""The inventory registers' pages: the stocktake report (盘点报告) of a
stocktake, of all its boxes or one, and the write-off register (核销登记簿)
of a year. Each shows its selection form; its buttons download the
register as PDF or Excel (a background job when it is long,
records.register_jobs); invalid input shows the form again. Only the
archivist and the department head read them (inventory.policies.may_view)."""
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET

from core.views import gate
from inventory import policies
from inventory.models import Stocktake
from records.register_jobs import register_page

REPORT = "inventory_stocktake_report"
WRITE_OFFS = "inventory_write_offs"


def _register_page(request, name, context, initial):
    return register_page(
        request, name, template="inventory/report_form.html", context=context,
        initial={**initial, **request.GET.dict()},
    )


@require_GET
def stocktake_report(request, pk):
    """盘点报告: a draft while the stocktake is open, final once closed (R-INV-1)."""
    gate(policies.may_view(request.user))
    stocktake = get_object_or_404(Stocktake, pk=pk)
    # The stocktake is in the address; the form, and a background job that
    # builds the report from the same query, read it from the query.
    query = request.GET.copy()
    query["stocktake"] = str(stocktake.pk)
    request.GET = query
    context = {
        "title": pgettext_lazy("inventory register", "Stocktake report"),
        "intro": _("The totals per box and in total, every difference and its resolution, and the signature lines "
                   "of the archivist and the department head. While the stocktake is open the report is a draft."),
        "stocktake": stocktake,
    }
    return _register_page(request, REPORT, context, {"stocktake": stocktake.pk})


@require_GET
def write_off_register(request):
    """核销登记簿 of a year (R-INV-3)."""
    gate(policies.may_view(request.user))
    context = {
        "title": pgettext_lazy("inventory register", "Write-off register"),
        "intro": _("Every write-off requested in the year, approved, refused or waiting: the record, the kind and "
                   "reason, the evidence, who asked and who decided, and when."),
    }
    return _register_page(request, WRITE_OFFS, context, {"year": timezone.localdate().year})
