from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core.limits import bounded_integer
from core.text_input import CleanTextFormField

from records.filters import CategoryChoiceField, PlainSelect
from records.models import Category, Location, LocationKind, RecordStatus, SecurityLevel
from records.models.choices import retention_label
from records.models.record import RECORD_YEARS
from records.search import Filters, Order

# Worded when shown, in the reader's language: choices made at import time
# kept the language of whoever loaded the module first ("30 years" for all).
_retention_label = lazy(retention_label, str)
RETENTION_CHOICES = [("", _("All retention periods")), ("y", _retention_label(None))] + [
    (str(years), _retention_label(years)) for years in (30, 10)
]


class LocationChoiceField(forms.ModelChoiceField):
    widget = PlainSelect

    def label_from_instance(self, obj):
        return f"{obj.full_code} {obj.name}".strip()


class RecordSearchForm(forms.Form):
    """The search box and its filters (R-FILE-4)."""

    q = CleanTextFormField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.SearchInput(attrs={"placeholder": _("Title, archive number, document number, party, file text…")}),
    )
    category = CategoryChoiceField(
        label=_("Category"),
        queryset=Category.objects.order_by("sort_order", "code"),
        required=False,
        empty_label=_("All categories"),
    )
    year = bounded_integer(_("Year"), *RECORD_YEARS, required=False)
    security_level = forms.ChoiceField(
        label=_("Security level"),
        required=False,
        choices=[("", _("All levels")), *SecurityLevel.choices],
        widget=PlainSelect,
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *RecordStatus.choices], widget=PlainSelect
    )
    location = LocationChoiceField(
        label=_("Location"),
        queryset=Location.objects.exclude(kind=LocationKind.BOX).order_by("full_code"),
        required=False,
        empty_label=_("All locations"),
    )
    retention = forms.ChoiceField(label=_("Retention"), required=False, choices=RETENTION_CHOICES, widget=PlainSelect)
    order = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            (Order.RELEVANCE, _("Relevance")),
            (Order.DATE, _("Date")),
            (Order.NEWEST, _("Newest filed")),
        ],
        widget=PlainSelect,
    )

    #: Drawn always, on a phone too; the other fields fold behind "More
    #: filters" on a narrow screen (templates/records/record_list.html).
    MAIN_FIELDS = ("q",)
    #: A field's value that is no filter: the order every search starts in.
    UNSET_VALUES = {"order": Order.RELEVANCE}

    def advanced_filters_set(self):
        """Whether a field other than the search box narrows or orders the
        search, or has an error: then the folded filters start open, so the
        reader sees what applies."""
        if not self.is_bound:
            return False
        for field in self:
            if field.name in self.MAIN_FIELDS or field.is_hidden:
                continue
            value = self.data.get(field.name)
            if field.errors or value not in (None, "", self.UNSET_VALUES.get(field.name)):
                return True
        return False

    def criteria(self):
        """(text, Filters, order) from the valid fields; an invalid field is
        ignored (its error is shown) and the others still apply."""
        if self.is_bound:
            self.is_valid()
        data = getattr(self, "cleaned_data", {})
        filters = Filters(
            category_code=data["category"].code if data.get("category") else None,
            year=data.get("year"),
            security_level=data.get("security_level") or None,
            status=data.get("status") or None,
            location_id=data["location"].pk if data.get("location") else None,
            retention=data.get("retention") or None,
        )
        return data.get("q", ""), filters, data.get("order") or Order.RELEVANCE
