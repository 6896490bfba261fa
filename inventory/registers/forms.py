"""What each inventory register selects, and its format. The forms read
only the query string: a background job builds the same register from the
same query (records.register_jobs); the report's stocktake comes from its
address and the view adds it to the query."""
from django import forms
from django.utils.translation import gettext_lazy as _

from core.limits import bounded_integer
from inventory.models import Stocktake, StocktakeUnit
from records.models.record import RECORD_YEARS

FORMAT_CHOICES = [("pdf", _("PDF")), ("xlsx", _("Excel"))]


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj.location)


class StocktakeReportForm(forms.Form):
    """盘点报告 of a stocktake, of all its boxes or of one."""

    stocktake = forms.ModelChoiceField(queryset=Stocktake.objects.all(), widget=forms.HiddenInput)
    unit = UnitChoiceField(
        label=_("Box"), queryset=StocktakeUnit.objects.none(), required=False, empty_label=_("All boxes")
    )
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stocktake = self.data.get("stocktake") or self.initial.get("stocktake")
        units = StocktakeUnit.objects.select_related("location").order_by("location__full_code")
        if str(stocktake or "").isdigit():
            units = units.filter(stocktake_id=stocktake)
        else:
            units = units.none()
        self.fields["unit"].queryset = units


class WriteOffRegisterForm(forms.Form):
    """核销登记簿 of a year (this year when left empty)."""

    year = bounded_integer(_("Year"), *RECORD_YEARS, required=False)
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES)
