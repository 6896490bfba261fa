"""The stocktakes of a year, opening one (with a confirmation of what the
snapshot will hold), a stocktake's boxes and progress, and closing it
(R-INV-1). The archivist acts (inventory.policies.may_run_stocktake); the
archivist and the department head read (may_view). Counting a box is
inventory.views.counting."""
from django.contrib import messages
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.views import gate, refusal_to_form, refusal_to_message
from inventory import policies, selectors, services
from inventory.exceptions import InventoryRefused, UnresolvedDifferences
from inventory.forms_stocktakes import ConfirmForm, StocktakeOpenForm, YearForm
from inventory.models import Expected, ExpectedStatus, Scan, ScanOutcome, Stocktake, StocktakeUnit
from records.models import Record
from records.paging import page_of
from records.selectors import visible_records

GET_OR_POST = ["GET", "HEAD", "POST"]
# Unresolved differences a refused closing lists; the rest are counted.
LISTED_AT_MOST = 200


def _count_of(queryset, group):
    """A subquery: how many rows of `queryset` share the outer row's pk in `group`."""
    return Coalesce(
        Subquery(queryset.values(group).annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()),
        Value(0),
    )


def _counted_of(queryset, group):
    """A subquery: how many distinct records `queryset` (scans) counts."""
    counted = queryset.filter(outcome__in=ScanOutcome.counting(), record__isnull=False)
    return Coalesce(
        Subquery(
            counted.values(group).annotate(n=Count("record", distinct=True)).values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def with_progress(stocktakes):
    """Stocktakes annotated with `expected` (on the shelf at opening) and
    `counted` (records counted so far), in the same query."""
    return stocktakes.annotate(
        expected=_count_of(
            Expected.objects.filter(unit__stocktake=OuterRef("pk"), status_at_opening=ExpectedStatus.ON_SHELF),
            "unit__stocktake",
        ),
        counted=_counted_of(Scan.objects.filter(stocktake=OuterRef("pk")), "stocktake"),
        boxes=_count_of(StocktakeUnit.objects.filter(stocktake=OuterRef("pk")), "stocktake"),
        boxes_counted=_count_of(
            StocktakeUnit.objects.filter(stocktake=OuterRef("pk"), counted_at__isnull=False), "stocktake"
        ),
    )


def units_with_progress(units):
    """Boxes of a stocktake annotated with `records_expected` and
    `records_counted` (the box's `expected` are its snapshot rows)."""
    return units.annotate(
        records_expected=_count_of(
            Expected.objects.filter(unit=OuterRef("pk"), status_at_opening=ExpectedStatus.ON_SHELF), "unit"
        ),
        records_counted=_counted_of(Scan.objects.filter(unit=OuterRef("pk")), "unit"),
    )


def stocktake_with_progress(pk):
    return get_object_or_404(with_progress(Stocktake.objects.select_related("opened_by", "closed_by")), pk=pk)


def _years():
    this_year = timezone.localdate().year
    years = set(Stocktake.objects.values_list("year", flat=True).distinct())
    return sorted(years | {this_year}, reverse=True)


@require_safe
def stocktake_list(request):
    """The stocktakes of a year, newest first, with their progress; past
    years stay browsable (R-INV-1)."""
    gate(policies.may_view(request.user))
    form = YearForm(request.GET or None)
    year = form.chosen_year()
    stocktakes = (
        with_progress(Stocktake.objects.filter(year=year))
        .select_related("opened_by", "closed_by")
        .prefetch_related("scope")
        .order_by("-number")
    )
    page = page_of(request, stocktakes)
    return render(
        request,
        "inventory/stocktake_list.html",
        {
            "year": year,
            "years": _years(),
            "page_obj": page,
            "stocktakes": list(page.object_list),
            "may_run": policies.may_run_stocktake(request.user),
        },
    )


def _open_page(request, form, preview=None):
    return render(request, "inventory/stocktake_open.html", {"form": form, "preview": preview})


@require_http_methods(GET_OR_POST)
def stocktake_open(request):
    """Open a stocktake of a year for the whole archive or chosen
    locations: first a confirmation of how many boxes and records the
    snapshot will hold (a box is then in this stocktake until it closes),
    then inventory.services.stocktake_open (R-INV-1)."""
    gate(policies.may_run_stocktake(request.user))
    form = StocktakeOpenForm(request.POST if request.method == "POST" else None)
    if request.method != "POST" or not form.is_valid():
        return _open_page(request, form)
    locations = form.chosen_locations()
    try:
        if request.POST.get("confirmed") != "1":
            boxes, records = services.snapshot_size(locations=locations)
            return _open_page(request, form, {"boxes": boxes, "records": records, "locations": locations})
        stocktake = services.stocktake_open(year=form.cleaned_data["year"], locations=locations, by=request.user)
    except InventoryRefused as refusal:
        refusal_to_form(form, refusal)
        return _open_page(request, form)
    messages.success(request, _("Stocktake %(number)s was opened.") % {"number": stocktake.number})
    return redirect("inventory_stocktake_detail", stocktake.pk)


@require_safe
def stocktake_detail(request, pk):
    """A stocktake's progress and its boxes, each with what is expected,
    what was counted and who marked it counted."""
    gate(policies.may_view(request.user))
    stocktake = stocktake_with_progress(pk)
    units = units_with_progress(
        StocktakeUnit.objects.filter(stocktake=stocktake).select_related("location", "counted_by")
    ).order_by("location__full_code")
    page = page_of(request, units, per_page=50)
    return render(
        request,
        "inventory/stocktake_detail.html",
        {
            "stocktake": stocktake,
            "scope": list(stocktake.scope.order_by("full_code")),
            "page_obj": page,
            "units": list(page.object_list),
            "may_run": policies.may_run_stocktake(request.user),
        },
    )


def _listed_differences(user, unresolved):
    """Rows (archive number, or None when `user` may not see the record;
    kind; box) of the first LISTED_AT_MOST unresolved differences."""
    listed = unresolved[:LISTED_AT_MOST]
    record_ids = {item.record_id for item in listed}
    numbers = dict(
        visible_records(user, Record.objects.filter(pk__in=record_ids)).values_list("pk", "archive_number")
    )
    unit_ids = {item.unit_id for item in listed}
    boxes = dict(StocktakeUnit.objects.filter(pk__in=unit_ids).values_list("pk", "location__full_code"))
    return [
        {"number": numbers.get(item.record_id), "kind": item.kind.label, "box": boxes.get(item.unit_id)}
        for item in listed
    ]


@require_http_methods(GET_OR_POST)
def stocktake_close(request, pk):
    """The confirmation with the totals, then inventory.services.
    stocktake_close; refused while a difference is unresolved, and the
    page then lists them with the way to the reconciliation (R-INV-1)."""
    gate(policies.may_run_stocktake(request.user))
    stocktake = stocktake_with_progress(pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    unresolved = []
    if request.method == "POST" and form.is_valid():
        try:
            services.stocktake_close(stocktake=stocktake, by=request.user)
        except UnresolvedDifferences as refusal:
            refusal_to_message(request, refusal)
            unresolved = refusal.differences
        except InventoryRefused as refusal:
            refusal_to_message(request, refusal)
            return redirect("inventory_stocktake_detail", stocktake.pk)
        else:
            messages.success(request, _("Stocktake %(number)s was closed.") % {"number": stocktake.number})
            return redirect("inventory_stocktake_detail", stocktake.pk)
    elif stocktake.is_open:
        unresolved = selectors.unresolved_differences(stocktake)
    _per_unit, totals = selectors.reconciliation(stocktake)
    return render(
        request,
        "inventory/stocktake_close.html",
        {
            "stocktake": stocktake,
            "totals": totals,
            "unresolved_count": len(unresolved),
            "unresolved": _listed_differences(request.user, unresolved),
            "listed_at_most": LISTED_AT_MOST,
        },
    )

