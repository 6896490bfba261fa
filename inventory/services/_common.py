"""Shared helpers of the inventory services: row locks taken before any
check, text input refused with a message for the user, and records'
refusals passed on as the app's own."""
import contextlib

from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.text_input import clean_text
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
    """The text as written: invisible marks removed, stripped; refused when
    it holds a control character, is too long, or (with `missing`) empty."""
    model_field = model._meta.get_field(field)
    label = capfirst(model_field.verbose_name)
    try:
        value = clean_text(str(value or ""), label=label, multiline=True).strip()
    except ValidationError as error:
        raise InventoryRefused(" ".join(error.messages), field=field) from None
    if missing is not None and not value:
        raise InventoryRefused(missing, field=field)
    if model_field.max_length and len(value) > model_field.max_length:
        raise InventoryRefused(
            _("%(field)s: at most %(max)d characters.") % {"field": label, "max": model_field.max_length},
            field=field,
        )
    return value


@contextlib.contextmanager
def records_refusals():
    """A refusal of records.services (the record is on loan, held...) is
    passed on as the inventory's, with the same message; the caller's
    transaction rolls back, so nothing is half done."""
    try:
        yield
    except RecordActionRefused as refusal:
        raise InventoryRefused(refusal.message, field=refusal.field) from refusal
