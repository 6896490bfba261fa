"""Resolving the differences a stocktake finds (R-INV-1): a misplaced item
moved (its box corrected, with history), an extra item filed into the box
it was found in, a missing item marked missing with the stocktake as the
reason, or the difference accepted with a note. Write-offs and repair
tasks resolve theirs in inventory.services.write_offs and .repairs."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import save_with_history
from inventory import policies, selectors
from inventory.exceptions import InventoryRefused
from inventory.models import Difference, DifferenceKind, Resolution, StocktakeUnit
from inventory.reasons import InventoryReason
from inventory.services._common import locked_stocktake, records_refusals, refuse_unless_open, text
from records import services as records_services

# What each kind of difference may be resolved by here (R-INV-1).
RESOLUTIONS = {
    DifferenceKind.MISSING: (Resolution.MARKED_MISSING, Resolution.ACCEPTED),
    DifferenceKind.MISPLACED: (Resolution.MOVED, Resolution.ACCEPTED),
    DifferenceKind.EXTRA: (Resolution.FILED_EXTRA, Resolution.ACCEPTED),
    DifferenceKind.ON_LOAN: (Resolution.ACCEPTED,),
    DifferenceKind.DAMAGED: (Resolution.ACCEPTED,),
    DifferenceKind.TURNED_UP: (Resolution.RESTORED, Resolution.ACCEPTED),
}


def open_difference(stocktake, record, kind):
    """The unresolved difference of `kind` for `record`, or a refusal."""
    difference = selectors.difference_of(stocktake, record, kind)
    if difference is None:
        raise InventoryRefused(
            _("Stocktake %(number)s finds no such difference for %(record)s.")
            % {"number": stocktake.number, "record": record.archive_number}
        )
    if difference.is_resolved:
        raise InventoryRefused(
            _("This difference of %(record)s was already resolved: %(resolution)s.")
            % {"record": record.archive_number, "resolution": difference.resolution.get_resolution_display()}
        )
    return difference


def save_resolution(stocktake, difference, resolution, by, note=""):
    row = Difference(
        stocktake=stocktake, unit_id=difference.unit_id, record_id=difference.record_id, kind=difference.kind,
        resolution=resolution, note=note, resolved_by=by, resolved_at=timezone.now(),
    )
    return save_with_history(row, by=by, reason=InventoryReason.DIFFERENCE_RESOLVED)


def _record_reason(stocktake, note):
    reason = _("Stocktake %(number)s") % {"number": stocktake.number}
    return f"{reason}: {note}" if note else reason


def _carry_out(stocktake, difference, resolution, record, by, note, location):
    """What the resolution does to the record, through records.services."""
    reason = _record_reason(stocktake, note)
    with records_refusals():
        if resolution == Resolution.MARKED_MISSING:
            records_services.record_mark_missing(record=record, reason=reason, by=by)
        elif resolution == Resolution.MOVED:
            if location is None:
                raise InventoryRefused(_("Choose the box the item is to be in."), field="location")
            if location.pk != record.location_id:
                records_services.record_move(record=record, location=location, reason=reason, by=by)
        elif resolution == Resolution.RESTORED:
            box = StocktakeUnit.objects.get(pk=difference.unit_id).location
            records_services.record_restore_found(record=record, reason=reason, by=by, location=box)
        elif resolution == Resolution.FILED_EXTRA:
            box = StocktakeUnit.objects.get(pk=difference.unit_id).location
            records_services.record_move(record=record, location=box, reason=reason, by=by)


@transaction.atomic
def difference_resolve(*, stocktake, record, kind, resolution, by, note="", location=None):
    """Resolve one difference of an open stocktake (R-INV-1): MOVED (the
    misplaced item's box becomes `location`: the box it was found in, or
    its own box when it was put back), FILED_EXTRA (an extra item's box
    becomes the one it was found in), MARKED_MISSING (the stocktake is the
    reason), RESTORED (a record missing per the register, counted, is
    filed again in the box it was found in), ACCEPTED (a note says why). Refused, with nothing changed,
    when records refuses (e.g. the record is on loan now)."""
    if not policies.may_run_stocktake(by):
        raise InventoryRefused(_("Only the archivist reconciles stocktakes."))
    stocktake = locked_stocktake(stocktake)
    refuse_unless_open(stocktake)
    if resolution not in RESOLUTIONS.get(kind, ()):
        raise InventoryRefused(_("This resolution does not fit this difference."), field="resolution")
    note = text(
        note, model=Difference, field="note",
        missing=_("Note: say why the difference is accepted.") if resolution == Resolution.ACCEPTED else None,
    )
    difference = open_difference(stocktake, record, kind)
    _carry_out(stocktake, difference, resolution, record, by, note, location)
    return save_resolution(stocktake, difference, resolution, by, note)
