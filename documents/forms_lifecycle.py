"""Forms of the lifecycle screens of controlled documents: voiding with a
reason (R-CTRL-5), a revision with its supporting papers and the head's
countersignature or refusal (R-CTRL-6), and the purge list of expired
register lines with the head's refusal (R-CTRL-7)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from core.text_input import CleanTextFormField
from documents.models import ControlledCopy, ControlledDocument, RegisterPurge
from records.forms_filing import MultipleFileField

_END_REASON_LENGTH = ControlledDocument._meta.get_field("end_reason").max_length
_REVISION_REASON_LENGTH = ControlledDocument._meta.get_field("revision_reason").max_length
_NOTE_LENGTH = ControlledDocument._meta.get_field("countersign_note").max_length
_TITLE_LENGTH = ControlledDocument._meta.get_field("title").max_length
_REFUSAL_LENGTH = RegisterPurge._meta.get_field("refusal_reason").max_length


def _reason_field(label, length, *, required=True, help_text=""):
    return CleanTextFormField(
        label=label, multiline=True, max_length=length, required=required, help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class VoidForm(forms.Form):
    reason = _reason_field(
        _("Reason for voiding"), _END_REASON_LENGTH,
        help_text=_("Every holder of a copy reads it with the recall."),
    )


class ReviseForm(forms.Form):
    """A revision (R-CTRL-6): the new PDF, the supporting papers kept with
    it, the reason; the title and the end date only when they change."""

    reason = _reason_field(_("Reason for the revision"), _REVISION_REASON_LENGTH)
    source = forms.FileField(label=_("Revised document (PDF)"))
    papers = MultipleFileField(
        label=_("Supporting papers"),
        help_text=_("One or more files: the request for the change, the approvals, the comparison of the texts."),
    )
    title = CleanTextFormField(
        label=_("New title"), max_length=_TITLE_LENGTH, required=False,
        help_text=_("Leave empty to keep the present title."),
    )
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only for a time-limited document; leave empty to keep the present end date."),
    )


class CountersignForm(forms.Form):
    """The head approves with an optional note or refuses with a reason;
    the button pressed (`decision`) says which."""

    APPROVE = "approve"
    REFUSE = "refuse"

    note = _reason_field(_("Note or reason"), _NOTE_LENGTH, required=False, help_text=_(
        "A note kept with the countersignature; required when you refuse."))
    decision = forms.ChoiceField(choices=[(APPROVE, APPROVE), (REFUSE, REFUSE)], widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.REFUSE and not cleaned.get("note"):
            self.add_error("note", _("Say why the revision is refused."))
        return cleaned


class PurgeProposeForm(forms.Form):
    """The register lines due for disposal the archivist ticks, or every
    line due (`every`)."""

    lines = forms.ModelMultipleChoiceField(queryset=None, required=False, widget=forms.MultipleHiddenInput)
    every = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, due, **kwargs):
        super().__init__(*args, **kwargs)
        self.due = due
        # Any line not yet disposed of: the service says which are not due.
        self.fields["lines"].queryset = ControlledCopy.objects.filter(purge__isnull=True)

    def chosen_lines(self):
        return list(self.due) if self.cleaned_data.get("every") else list(self.cleaned_data["lines"])

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("every") and not cleaned.get("lines"):
            raise forms.ValidationError(_("Tick the register lines to propose, or propose every line due."))
        return cleaned


class PurgeDecisionForm(forms.Form):
    APPROVE = "approve"
    REFUSE = "refuse"

    reason = _reason_field(_("Reason for refusal"), _REFUSAL_LENGTH, required=False)
    decision = forms.ChoiceField(choices=[(APPROVE, APPROVE), (REFUSE, REFUSE)], widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.REFUSE and not cleaned.get("reason"):
            self.add_error("reason", _("Say why the disposal is refused."))
        return cleaned
