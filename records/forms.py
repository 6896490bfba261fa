from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from records.filters import CategoryChoiceField
from records.models import Category


class CatalogueForm(forms.Form):
    """Which catalogue to print: one class (its sub-classes included) and one
    year, as PDF or Excel."""

    FORMAT_CHOICES = [("pdf", _("PDF")), ("xlsx", _("Excel"))]

    category = CategoryChoiceField(
        label=_("Class"),
        queryset=Category.objects.select_related("parent"),
        help_text=_("The catalogue includes the sub-classes of the class chosen."),
    )
    year = forms.IntegerField(label=_("Year"), min_value=1949, max_value=2200)
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
