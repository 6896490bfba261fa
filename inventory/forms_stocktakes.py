"""Forms of the stocktake screens (inventory.views.stocktakes, counting):
the year of the list, opening a stocktake (year and scope from the
location tree), a scan (the archive number typed or scanned, the item's
condition and a note) and the confirmation buttons (R-INV-1, R-INV-2)."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.limits import bounded_integer
from core.text_input import CleanTextFormField, CodeFormField
from inventory.models import Condition, Scan
from records.filters import PlainSelect
from records.models import Location
from records.models.record import RECORD_YEARS

# Indents a location under its parent in the scope's list (a full-width space).
INDENT = "\u3000"


class ScopeChoice:
    WHOLE = "whole"
    CHOSEN = "chosen"


class LocationTreeField(forms.ModelMultipleChoiceField):
    """Rooms, cabinets, shelves and boxes in use, in tree order (by full
    code), each indented under the one it stands in."""

    def label_from_instance(self, obj):
        return f"{INDENT * obj.full_code.count('-')}{obj.full_code} {obj.name}".rstrip()


class YearForm(forms.Form):
    """The year whose stocktakes the list shows (this year when none)."""

    year = bounded_integer(_("Year"), *RECORD_YEARS, required=False)

    def chosen_year(self):
        if self.is_bound and self.is_valid() and self.cleaned_data["year"]:
            return self.cleaned_data["year"]
        return timezone.localdate().year


class StocktakeOpenForm(forms.Form):
    """What a new stocktake counts: the whole archive or chosen rooms,
    cabinets, shelves or boxes (R-INV-1). The confirmation step, which
    shows how much the snapshot will hold, posts it again with `confirmed`."""

    year = bounded_integer(_("Year"), RECORD_YEARS[0], 9999)
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=[(ScopeChoice.WHOLE, _("The whole archive")), (ScopeChoice.CHOSEN, _("Chosen rooms, cabinets or boxes"))],
        widget=forms.RadioSelect,
        initial=ScopeChoice.WHOLE,
    )
    locations = LocationTreeField(
        label=_("Rooms, cabinets, shelves or boxes"),
        queryset=Location.objects.filter(is_active=True).order_by("full_code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12, "class": "location-tree"}),
        help_text=_("Everything inside a chosen room or cabinet is counted. Hold Ctrl (or ⌘) to choose several."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("year", timezone.localdate().year)
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("scope") == ScopeChoice.CHOSEN and not data.get("locations"):
            self.add_error("locations", _("Choose at least one room, cabinet, shelf or box, or count the whole archive."))
        return data

    def chosen_locations(self):
        """The locations the stocktake counts ([]: the whole archive)."""
        if self.cleaned_data["scope"] == ScopeChoice.WHOLE:
            return []
        return list(self.cleaned_data["locations"])


class ScanForm(forms.Form):
    """One archive number typed or scanned into a box (a keyboard-wedge
    scanner types the code and Enter), with the item's condition and a
    note (R-INV-2)."""

    code = CodeFormField(
        label=_("Archive number"),
        # An empty code is refused by scan_record, with its own message.
        required=False,
        max_length=Scan._meta.get_field("code").max_length,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "enterkeyhint": "send",
                "class": "scan-input",
            }
        ),
    )
    condition = forms.ChoiceField(label=_("Item condition"), choices=Condition.choices, initial=Condition.OK, widget=PlainSelect)
    note = CleanTextFormField(
        label=_("Note"), required=False, max_length=Scan._meta.get_field("note").max_length, multiline=True
    )


class ConfirmForm(forms.Form):
    """A confirmation page's button."""

    confirm = forms.BooleanField(required=True, widget=forms.HiddenInput)
