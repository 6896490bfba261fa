"""The form of the lending register (借阅登记表): a date range and a format."""
from django import forms
from django.utils.translation import gettext_lazy as _

from core.limits import bounded_date

from lending.registers import this_month

# One register may cover at most this many days; longer ranges are split.
MAX_RANGE_DAYS = 366


class LendingRegisterForm(forms.Form):
    """Loans handed out from one date to another (both included), as PDF or
    Excel. Without input it proposes the current month."""

    FORMAT_CHOICES = [("pdf", _("PDF")), ("xlsx", _("Excel"))]

    date_from = bounded_date(_("From"))
    date_to = bounded_date(_("To"))
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        first, last = this_month()
        self.fields["date_from"].initial = first
        self.fields["date_to"].initial = last

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to:
            if date_from > date_to:
                self.add_error("date_to", _("The end date is before the start date."))
            elif (date_to - date_from).days >= MAX_RANGE_DAYS:
                self.add_error(
                    "date_to", _("One register covers at most %(days)d days.") % {"days": MAX_RANGE_DAYS}
                )
        return cleaned
