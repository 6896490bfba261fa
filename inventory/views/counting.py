"""Counting one box of a stocktake (R-INV-1, R-INV-2): the page (usable on
a phone and with a keyboard-wedge scanner), a scan (inventory.services.
scan_record) answered at once, and marking the box counted.

A scan answers as HTML (redirect back to the counting page, the outcome
as a message: it works without JavaScript) or, asked by static/js/
stocktake_count.js (Accept: application/json), as JSON {outcome, message,
progress, scan}. A record the scanner may not see is answered exactly as
an unknown code: nothing of it is revealed."""
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.views import gate, refusal_to_message
from inventory import policies, selectors, services
from inventory.exceptions import InventoryRefused
from inventory.forms_stocktakes import ConfirmForm, ScanForm
from inventory.models import Condition, Scan, ScanOutcome, StocktakeUnit
from inventory.views.stocktakes import GET_OR_POST, stocktake_with_progress
from records.models import Record
from records.selectors import visible_records

# The box's latest scans the page lists.
LAST_SCANS = 20

_LEVELS = {
    ScanOutcome.FOUND: messages.SUCCESS,
    ScanOutcome.ALREADY_COUNTED: messages.INFO,
    ScanOutcome.UNKNOWN: messages.ERROR,
}


def _unit(pk):
    return get_object_or_404(StocktakeUnit.objects.select_related("stocktake", "location", "counted_by"), pk=pk)


def _box_label(location):
    return f"{location.full_code} {location.name}".strip()


def outcome_message(scan, code=None):
    """What the scanner is told, in words (Scan.shown_outcome: a record they
    may not see is an unknown code)."""
    code = scan.code if code is None else code
    outcome = scan.shown_outcome
    if outcome == ScanOutcome.FOUND:
        return _("%(code)s: found here, counted.") % {"code": code}
    if outcome == ScanOutcome.MISPLACED:
        return _("%(code)s belongs in box %(box)s: misplaced, counted here.") % {
            "code": code, "box": _box_label(scan.belongs_in)
        }
    if outcome == ScanOutcome.EXTRA:
        return _("%(code)s is not on the books of this box: counted as extra.") % {"code": code}
    if outcome == ScanOutcome.ALREADY_COUNTED:
        return _("%(code)s was already counted in this stocktake.") % {"code": code}
    if outcome == ScanOutcome.ON_LOAN:
        return _("%(code)s is on loan per the register: a conflict to reconcile.") % {"code": code}
    if outcome == ScanOutcome.STRUCK_OFF:
        return _("%(code)s is struck off the books (%(status)s): put it aside.") % {
            "code": code, "status": scan.record.get_status_display()
        }
    return _("%(code)s: unknown archive number. Check the code and scan again.") % {"code": code}


def _progress(unit):
    counted, expected = selectors.unit_progress(unit)
    stocktake = stocktake_with_progress(unit.stocktake_id)
    return {
        "unit": {"counted": counted, "expected": expected},
        "overall": {"counted": stocktake.counted, "expected": stocktake.expected},
    }


def _codes_shown(user, scans):
    """{scan pk: the code the page shows}: a code is shown to the one who
    typed it, or when its record is one `user` may see; otherwise it is
    hidden, for a record the user may not see and an unknown code alike,
    so the list reveals nothing (R-ACCESS)."""
    record_ids = {scan.record_id for scan in scans if scan.record_id and scan.by_id != user.pk}
    visible = set(visible_records(user, Record.objects.filter(pk__in=record_ids)).values_list("pk", flat=True))
    return {
        scan.pk: scan.code if scan.by_id == user.pk or scan.record_id in visible else "…"
        for scan in scans
    }


def _last_scans(user, unit):
    scans = list(Scan.objects.filter(unit=unit).select_related("by", "belongs_in", "record").order_by("-at", "-pk")[:LAST_SCANS])
    shown = _codes_shown(user, scans)
    rows = []
    for scan in scans:
        # A hidden code is an unknown code: its outcome would tell what it is.
        outcome = scan.shown_outcome if shown[scan.pk] == scan.code else ScanOutcome.UNKNOWN
        rows.append(
            {
                "code": shown[scan.pk],
                "by": scan.by.display_name,
                "at": scan.at,
                "outcome": ScanOutcome(outcome).label,
                "outcome_code": outcome,
                "condition": scan.get_condition_display() if scan.condition != Condition.OK else "",
            }
        )
    return rows


def _page(request, unit, form, status=200):
    return render(
        request,
        "inventory/count_unit.html",
        {
            "unit": unit,
            "stocktake": unit.stocktake,
            "form": form,
            "progress": _progress(unit),
            "scans": _last_scans(request.user, unit),
            "last_scans": LAST_SCANS,
        },
        status=status,
    )


@require_safe
def unit_count(request, pk):
    """The counting page of one box: the archive-number input (autofocused),
    condition and note, progress of the box and of the stocktake, the
    box's latest scans (R-INV-1)."""
    gate(policies.may_run_stocktake(request.user))
    return _page(request, _unit(pk), ScanForm())


def _wants_json(request):
    return (
        request.headers.get("x-requested-with") == "XMLHttpRequest"
        or "application/json" in request.headers.get("accept", "")
    )


def _refused(request, unit, refusal, form):
    if _wants_json(request):
        return JsonResponse(
            {"outcome": "refused", "message": refusal.message, "progress": _progress(unit)}, status=400
        )
    if form is not None and unit.stocktake.is_open:
        form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        return _page(request, unit, form, status=400)
    refusal_to_message(request, refusal)
    return redirect("inventory_unit_count", unit.pk)


def _answer(request, unit, scan):
    message = outcome_message(scan)
    if _wants_json(request):
        return JsonResponse(
            {
                "outcome": scan.shown_outcome,
                "message": message,
                "progress": _progress(unit),
                "scan": {
                    "code": scan.code,
                    "by": request.user.display_name,
                    "at": date_format(timezone.localtime(scan.at), "Y-m-d H:i"),
                    "outcome": ScanOutcome(scan.shown_outcome).label,
                    "condition": scan.get_condition_display() if scan.condition != Condition.OK else "",
                },
            }
        )
    messages.add_message(request, _LEVELS.get(scan.shown_outcome, messages.WARNING), message)
    return redirect("inventory_unit_count", unit.pk)


@require_POST
def unit_scan(request, pk):
    """One code typed or scanned into the box: inventory.services.
    scan_record, answered at once (R-INV-1); refused in a closed
    stocktake, nothing saved."""
    gate(policies.may_run_stocktake(request.user))
    unit = _unit(pk)
    form = ScanForm(request.POST)
    if not form.is_valid():
        error = next(iter(form.errors.values()))[0]
        return _refused(request, unit, InventoryRefused(error, field="code"), form)
    try:
        scan = services.scan_record(unit=unit, by=request.user, **form.cleaned_data)
    except InventoryRefused as refusal:
        return _refused(request, unit, refusal, form)
    return _answer(request, unit, scan)


@require_http_methods(GET_OR_POST)
def unit_mark_counted(request, pk):
    """Mark the box counted, after a confirmation showing its progress
    (inventory.services.unit_mark_counted, R-INV-1)."""
    gate(policies.may_run_stocktake(request.user))
    unit = _unit(pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_mark_counted(unit=unit, by=request.user)
        except InventoryRefused as refusal:
            refusal_to_message(request, refusal)
            return redirect("inventory_unit_count", unit.pk)
        messages.success(request, _("Box %(box)s was marked counted.") % {"box": _box_label(unit.location)})
        return redirect("inventory_stocktake_detail", unit.stocktake_id)
    return render(
        request,
        "inventory/count_mark_counted.html",
        {"unit": unit, "stocktake": unit.stocktake, "progress": _progress(unit)},
    )
