"""Filters of the record list and summaries of what a user sees.

Everything here narrows or counts a queryset that already went through
`records.selectors.visible_records`; nothing here widens it."""
from django import forms
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from records.models import Category, RecordStatus, SecurityLevel

SEARCH_FIELDS = ("title", "archive_number", "document_number", "responsible_party")
MAX_SEARCH_TERMS = 8
INDENT = "\u3000"  # an ideographic space keeps Chinese names aligned


class CategoryChoiceField(forms.ModelChoiceField):
    """Categories in file-plan order, sub-classes indented under their class."""

    def label_from_instance(self, obj):
        depth = self._depths().get(obj.pk, 0)
        return f"{INDENT * depth}{obj.code} {obj.name}"

    def _depths(self):
        if not hasattr(self, "_depth_cache"):
            parents = dict(Category.objects.values_list("pk", "parent_id"))
            depths = {}
            for pk in parents:
                depth, node = 0, parents[pk]
                while node is not None and depth < len(parents):
                    depth, node = depth + 1, parents.get(node)
                depths[pk] = depth
            self._depth_cache = depths
        return self._depth_cache


class RecordFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200, widget=forms.SearchInput)
    category = CategoryChoiceField(
        label=_("Category"),
        queryset=Category.objects.order_by("sort_order", "code"),
        required=False,
        empty_label=_("All categories"),
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1949, max_value=2200)
    security_level = forms.ChoiceField(
        label=_("Security level"),
        required=False,
        choices=[("", _("All levels")), *SecurityLevel.choices],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *RecordStatus.choices],
    )


def filter_records(records, form):
    """Narrow visible `records` by the valid fields of a RecordFilterForm,
    newest first. An invalid field (say, a year of "abc") is ignored and its
    error shown by the form; the other filters still apply."""
    if form.is_bound:
        form.is_valid()
    data = getattr(form, "cleaned_data", {})
    if data.get("category"):
        # A class includes its sub-classes: 合同 finds 代理商协议 too.
        records = records.filter(category_id__in=data["category"].descendant_ids())
    if data.get("year"):
        records = records.filter(year=data["year"])
    if data.get("security_level"):
        records = records.filter(security_level=data["security_level"])
    if data.get("status"):
        records = records.filter(status=data["status"])
    if data.get("q"):
        records = records.filter(text_search_condition(data["q"]))
    return records.select_related("category").order_by("-created_at", "-pk")


def text_search_condition(text):
    """Every word of `text` must occur in one of the searched fields.

    A plain case-insensitive substring match; a Chinese full-text search will
    replace this function."""
    condition = Q()
    for term in text.split()[:MAX_SEARCH_TERMS]:
        term_condition = Q()
        for field in SEARCH_FIELDS:
            term_condition |= Q(**{f"{field}__icontains": term})
        condition &= term_condition
    return condition


def count_by_status(records):
    """How many of `records` are in each status, in the order of the life
    cycle; statuses with none are left out."""
    counts = dict(records.order_by().values_list("status").annotate(n=Count("pk")))
    return [
        {"status": status.value, "label": status.label, "count": counts[status.value]}
        for status in RecordStatus
        if counts.get(status.value)
    ]
