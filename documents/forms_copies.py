"""The holder's forms: reporting a controlled copy lost (R-CTRL-3) or
damaged (R-CTRL-4), and searching the 受控文件清单."""
from django import forms
from django.utils.translation import gettext_lazy as _

from core.limits import bounded_date
from core.text_input import CleanTextFormField

LOST, DAMAGED = "lost", "damaged"
# A note is appended to the register line's remark: kept short.
NOTE_LENGTH = 200


class CopyReportForm(forms.Form):
    """Which mishap, when a lost copy went missing, and a note for the
    archivist. The day is checked by copy_report_lost (not in the future,
    not before the copy was issued)."""

    which = forms.ChoiceField(
        label=_("What happened"),
        choices=[
            (LOST, _("The copy is lost")),
            (DAMAGED, _("The copy is damaged")),
        ],
        widget=forms.RadioSelect,
    )
    lost_on = bounded_date(
        _("Lost on"),
        required=False,
        help_text=_("For a lost copy: the day it went missing, if known (today when left empty)."),
    )
    note = CleanTextFormField(
        label=_("Note"),
        multiline=True,
        required=False,
        max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What happened, for the archivist."),
    )


class ValidSearchForm(forms.Form):
    q = CleanTextFormField(label=_("Search"), required=False, max_length=100)

    def query(self):
        return self.cleaned_data.get("q", "") if self.is_valid() else ""
