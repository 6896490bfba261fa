"""Back-office pieces every app may use."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _


def open_or_closed_filter(field, *, open_label, closed_label, title=_("state")):
    """A list filter on whether `field` (a closing timestamp such as
    released_at or resolved_at) is empty: "open" rows have none yet."""

    class OpenOrClosedFilter(admin.SimpleListFilter):
        parameter_name = "state"

        def lookups(self, request, model_admin):
            return [("open", open_label), ("closed", closed_label)]

        def queryset(self, request, queryset):
            if self.value() == "open":
                return queryset.filter(**{f"{field}__isnull": True})
            if self.value() == "closed":
                return queryset.filter(**{f"{field}__isnull": False})
            return queryset

    OpenOrClosedFilter.title = title
    return OpenOrClosedFilter
