"""The form that resolves one difference of a stocktake from the
reconciliation page (R-INV-1): which record, which kind of difference,
which resolution, a note, and for a move the box chosen."""
from django import forms
from django.utils.translation import gettext_lazy as _

from core.text_input import CleanTextFormField
from inventory.models import Difference, DifferenceKind, Resolution
from records.models import Location, LocationKind


class ResolveForm(forms.Form):
    record = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=DifferenceKind.choices, widget=forms.HiddenInput)
    resolution = forms.ChoiceField(label=_("Resolution"), choices=Resolution.choices)
    note = CleanTextFormField(
        label=_("Note"), multiline=True, required=False,
        max_length=Difference._meta.get_field("note").max_length, widget=forms.Textarea(attrs={"rows": 2}),
    )
    location = forms.ModelChoiceField(
        label=_("Box"), queryset=Location.objects.filter(kind=LocationKind.BOX), required=False,
    )
