"""Form pieces shared by lists, and summaries of what a user sees.

Everything here narrows or counts a queryset that already went through
`records.selectors.visible_records`; nothing here widens it."""
from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from records.models import Category, RecordStatus
from records.paging import capped_counts_by

INDENT = "\u3000"  # an ideographic space keeps Chinese names aligned


def _html_attrs(attrs):
    """Attributes as django/forms/widgets/attrs.html writes them."""
    return mark_safe("".join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value))
        for name, value in attrs.items()
        if value is not False
    ))


class PlainSelect(forms.Select):
    """A drop-down written out in Python, the same HTML as Django's
    select.html and select_option.html: rendering a template for every
    option took ~6 ms of the record search's filters (50 options), a fifth
    of the page's time (issue 11)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], _html_attrs(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            parts.extend(
                format_html('\n  <option value="{}"{}>{}</option>\n', str(option["value"]),
                            _html_attrs(option["attrs"]), option["label"])
                for option in options
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))


class CategoryChoiceField(forms.ModelChoiceField):
    """Categories in file-plan order, sub-classes indented under their class."""

    widget = PlainSelect

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
