"""Forms of the write-off screens (核销, R-INV-3): the request (the record
by its archive number, typed or scanned; transfer, void or loss; the
reason; one or more evidence files), the refusal's reason, and the list's
filter."""
from django import forms
from django.utils.translation import gettext_lazy as _

from core.text_input import CleanTextFormField, CodeFormField
from inventory.models import Stocktake, StocktakeState, WriteOff, WriteOffKind, WriteOffState
from records.forms_filing import MultipleFileField
from records.models import Record

_REASON_LENGTH = WriteOff._meta.get_field("reason").max_length


class WriteOffRequestForm(forms.Form):
    archive_number = CodeFormField(label=_("Archive number"), max_length=Record._meta.get_field("archive_number").max_length)
    kind = forms.ChoiceField(label=_("Write off for"), choices=WriteOffKind.choices, widget=forms.RadioSelect)
    reason = CleanTextFormField(
        label=_("Reason"), multiline=True, max_length=_REASON_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = MultipleFileField(
        label=_("Evidence"),
        help_text=_("One or more files: a transfer receipt, a loss report, the decision that voids the record."),
    )
    stocktake = forms.ModelChoiceField(
        queryset=Stocktake.objects.filter(state=StocktakeState.OPEN), required=False, widget=forms.HiddenInput,
    )


class RefuseForm(forms.Form):
    reason = CleanTextFormField(
        label=_("Reason for refusal"), multiline=True, max_length=_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WriteOffFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=[("", _("Every state")), *WriteOffState.choices], required=False)

    def state_filter(self):
        return self.cleaned_data.get("state") if self.is_valid() else ""
