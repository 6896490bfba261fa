from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.limits import bounded_integer

from records.filters import CategoryChoiceField
from records.models import Category
from records.models.record import RECORD_YEARS


class CatalogueForm(forms.Form):
    """Which catalogue to print: one class (its sub-classes included) and one
    year, as PDF or Excel."""

    FORMAT_CHOICES = [("pdf", _("PDF")), ("xlsx", _("Excel"))]

    category = CategoryChoiceField(
        label=_("Class"),
        queryset=Category.objects.select_related("parent"),
        help_text=_("The catalogue includes the sub-classes of the class chosen."),
    )
    year = bounded_integer(_("Year"), *RECORD_YEARS)
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
