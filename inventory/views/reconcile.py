"""Reconciliation (账物相符, R-INV-1): a stocktake's totals per box and in
total, its differences with their resolutions or the resolutions each
allows, and what changed since the opening; and the one action that
resolves a difference (inventory.services.difference_resolve). Titles are
shown only to those who may see the record (records.selectors)."""
from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.views import gate, refusal_to_message
from inventory import policies, selectors
from inventory.exceptions import InventoryRefused
from inventory.forms_reconcile import ResolveForm
from inventory.models import DifferenceKind, Resolution, Stocktake, StocktakeUnit
from inventory.services import difference_resolve
from inventory.services.differences import RESOLUTIONS
from records.access_log import log_access_many
from records.models import AccessAction, Location, Record
from records.paging import page_of
from records.selectors import visible_records

UNITS_PER_PAGE = 50
DIFFERENCES_PER_PAGE = 50
CHANGES_PER_PAGE = 50


@dataclass
class DifferenceRow:
    """One difference as the page shows it."""

    kind: str
    kind_label: str
    record: Record
    visible: bool
    belongs_in: Location | None
    found_in: Location | None
    resolution: object  # the Difference row, or None while unresolved
    choices: list  # [(value, label)] the kind allows, while unresolved
    boxes: list  # [(Location, label)] a move may choose between


def viewable_stocktake(request, pk):
    """The stocktake of the URL, for those who read stocktakes (the
    archivist and the department head); 403 for everyone else."""
    gate(policies.may_view(request.user))
    return get_object_or_404(Stocktake.objects.select_related("opened_by", "closed_by"), pk=pk)


def _chosen_unit(request, stocktake):
    """The box of `?unit=` (one of this stocktake's), or None for all."""
    value = request.GET.get("unit") or ""
    if not value.isdigit():
        return None
    return get_object_or_404(StocktakeUnit.objects.select_related("location"), stocktake=stocktake, pk=value)


def _where(found, record, units, boxes):
    """(where the record belongs, where it was found) of a difference."""
    unit_box = boxes[units[found.unit_id]]
    if found.kind == DifferenceKind.MISSING:
        return unit_box, None
    if found.kind == DifferenceKind.MISPLACED:
        return boxes.get(found.belongs_in_id), unit_box
    return record.location, unit_box


def _move_boxes(belongs_in, found_in):
    boxes = []
    if found_in is not None:
        boxes.append((found_in, _("Where it was found")))
    if belongs_in is not None and belongs_in != found_in:
        boxes.append((belongs_in, _("Back where it belongs")))
    return boxes


def _difference_rows(user, found):
    """The page's differences with their records, boxes and choices, read
    in a few queries whatever their number."""
    record_ids = {item.record_id for item in found}
    records = Record.objects.select_related("location").in_bulk(record_ids)
    visible = set(visible_records(user).filter(pk__in=record_ids).values_list("pk", flat=True))
    units = dict(StocktakeUnit.objects.filter(pk__in={item.unit_id for item in found}).values_list("pk", "location_id"))
    # The boxes counted and those the items belong in, in one query.
    boxes = Location.objects.in_bulk({*units.values(), *(item.belongs_in_id for item in found if item.belongs_in_id)})
    rows = []
    for item in found:
        record = records[item.record_id]
        belongs_in, found_in = _where(item, record, units, boxes)
        choices = [] if item.is_resolved else [
            (resolution.value, resolution.label) for resolution in RESOLUTIONS.get(item.kind, ())
        ]
        rows.append(DifferenceRow(
            kind=item.kind, kind_label=DifferenceKind(item.kind).label, record=record,
            visible=record.pk in visible, belongs_in=belongs_in, found_in=found_in, resolution=item.resolution,
            choices=choices,
            boxes=_move_boxes(belongs_in, found_in) if (Resolution.MOVED.value, Resolution.MOVED.label) in choices else [],
        ))
    return rows


def _unit_rows(request, stocktake, unit, per_unit):
    units = StocktakeUnit.objects.filter(stocktake=stocktake).select_related("location", "counted_by")
    if unit is not None:
        units = units.filter(pk=unit.pk)
    page = page_of(request, units.order_by("location__full_code", "pk"), UNITS_PER_PAGE, page_param="units_page")
    page.rows = [(row, per_unit[row.pk]) for row in page.object_list]
    return page


def _changes(request, stocktake, unit):
    changed, added = selectors.changed_since_opening(stocktake, unit)
    changed_page = page_of(request, changed, CHANGES_PER_PAGE, page_param="changed_page")
    added_page = page_of(request, added, CHANGES_PER_PAGE, page_param="added_page")
    changed_page.rows, added_page.rows = list(changed_page.object_list), list(added_page.object_list)
    return changed_page, added_page


@require_safe
def reconciliation(request, pk):
    """The reconciliation of the stocktake, or of one box with ?unit=."""
    stocktake = viewable_stocktake(request, pk)
    unit = _chosen_unit(request, stocktake)
    per_unit, total = selectors.reconciliation(stocktake, unit)
    found = selectors.differences(stocktake, unit)
    differences = Paginator(found, DIFFERENCES_PER_PAGE).get_page(request.GET.get("differences_page"))
    differences.rows = _difference_rows(request.user, differences.object_list)
    changed, added = _changes(request, stocktake, unit)
    shown = [row.record for row in differences.rows]
    shown += [row.record for row in changed.rows] + list(added.rows)
    visible_ids = set(visible_records(request.user).filter(pk__in={r.pk for r in shown}).values_list("pk", flat=True))
    log_access_many(
        user=request.user, records=[record for record in shown if record.pk in visible_ids],
        action=AccessAction.LISTED, where=f"{stocktake.number} · {request.get_full_path()}",
    )
    return render(request, "inventory/reconcile_detail.html", {
        "stocktake": stocktake,
        "unit": unit,
        "total": total,
        "units": _unit_rows(request, stocktake, unit, per_unit),
        "differences": differences,
        "unresolved": sum(1 for item in found if not item.is_resolved),
        "changed": changed,
        "added": added,
        "visible_ids": visible_ids,
        "may_resolve": stocktake.is_open and policies.may_run_stocktake(request.user),
        "write_off_kinds": {DifferenceKind.MISSING.value},
        "repair_kinds": {DifferenceKind.DAMAGED.value},
    })


def _back(request, stocktake):
    """To the posted `next` (this site only), else to the reconciliation."""
    target = request.POST.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(reverse("inventory_reconciliation", args=[stocktake.pk]))


@require_POST
def difference_resolve_view(request, pk):
    """Resolve one difference as its row on the reconciliation posted it;
    a refusal becomes a message, and nothing changed."""
    gate(policies.may_run_stocktake(request.user))
    stocktake = get_object_or_404(Stocktake, pk=pk)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        errors = [str(error) for errors in form.errors.values() for error in errors]
        messages.error(request, " ".join([_("The resolution could not be saved."), *errors]))
        return _back(request, stocktake)
    data = form.cleaned_data
    record = get_object_or_404(Record, pk=data["record"])
    try:
        difference = difference_resolve(
            stocktake=stocktake, record=record, kind=data["kind"], resolution=data["resolution"],
            note=data["note"], location=data["location"], by=request.user,
        )
    except InventoryRefused as refusal:
        refusal_to_message(request, refusal)
    else:
        messages.success(request, _("%(record)s: %(resolution)s.") % {
            "record": record.archive_number, "resolution": difference.get_resolution_display(),
        })
    return _back(request, stocktake)
