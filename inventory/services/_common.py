"""Shared helpers of the inventory services: row locks taken before any
check, text input refused with a message for the user, and records'
refusals passed on as the app's own."""
import contextlib

from django.utils.translation import gettext as _

from core.text_input import field_text
from inventory.exceptions import InventoryRefused
from inventory.models import Stocktake, StocktakeUnit
from records.exceptions import RecordActionRefused


def locked_stocktake(stocktake):
    """Re-read the stocktake under a row lock, before any check."""
    return Stocktake.objects.select_for_update().get(pk=stocktake.pk)


def locked_unit(unit):
    """Re-read the box of a stocktake under a row lock, with its stocktake
    and location."""
    return StocktakeUnit.objects.select_for_update().select_related("stocktake", "location").get(pk=unit.pk)


def refuse_unless_open(stocktake):
    if not stocktake.is_open:
        raise InventoryRefused(
            _("Stocktake %(number)s is closed: nothing in it changes any more.") % {"number": stocktake.number}
        )


def text(value, *, model, field, missing=None):
    """The text as written (core.text_input.field_text), refused as InventoryRefused."""
    return field_text(value, model=model, field=field, refusal=InventoryRefused, missing=missing)


@contextlib.contextmanager
def records_refusals():
    """A refusal of records.services (the record is on loan, held...) is
    passed on as the inventory's, with the same message; the caller's
    transaction rolls back, so nothing is half done."""
    try:
        yield
    except RecordActionRefused as refusal:
        raise InventoryRefused(refusal.message, field=refusal.field) from refusal
