"""Form pieces shared by lists, and summaries of what a user sees.

Everything here narrows or counts a queryset that already went through
`records.selectors.visible_records`; nothing here widens it."""
from django import forms

from records.models import Category, RecordStatus
from records.paging import capped_counts_by

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


def count_by_status(records, *, cap):
    """How many of `records` are in each status, in the order of the life
    cycle; statuses with none are left out. Each status is counted no
    further than `cap` (`capped`: there are more), off the index
    record_status_visibility (status, then what the visibility rules read
    of a row), so the home page neither counts the whole archive nor reads
    the table: one statement, compiled once for all statuses."""
    counts = capped_counts_by(records, "status", RecordStatus, cap + 1)
    return [
        {
            "status": status.value,
            "label": status.label,
            "count": min(counts[status], cap),
            "capped": counts[status] > cap,
        }
        for status in RecordStatus
        if counts[status]
    ]
