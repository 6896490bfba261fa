"""Back-office pieces every app may use."""
import re

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.views.main import ChangeList
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.limits import FIRST_DATE, LAST_DATE


class ReadOnlyAdminMixin:
    """Nothing is added, edited or deleted here: services (or the worker)
    write these rows; the back office only shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


_DATE_VALUE = re.compile(r"^\s*([0-9]{1,4})-[0-9]{1,2}-[0-9]{1,2}")


def _year_of(lookup, value):
    """The year a list filter's parameter names, if it names one."""
    if lookup.endswith("__year"):
        return int(value) if str(value).strip().isdigit() else None
    match = _DATE_VALUE.match(str(value))
    return int(match.group(1)) if match else None


class SaneDatesChangeList(ChangeList):
    """A change list whose date filters (the date hierarchy's year, month
    and day, a forged `…__gte=0001-01-01`) outside FIRST_DATE..LAST_DATE
    are refused like any wrong filter (Django's "?e=1" redirect), with a
    message, instead of failing with a 500 when the date arithmetic or the
    database overflows."""

    def get_filters(self, request):
        for lookup, values in self.get_filters_params().items():
            for value in values if isinstance(values, (list, tuple)) else [values]:
                year = _year_of(lookup, value)
                if year is not None and not FIRST_DATE.year <= year <= LAST_DATE.year:
                    self._refuse(request)
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            self._refuse(request, error)

    def _refuse(self, request, error=None):
        messages.error(
            request,
            _("Dates in a filter must be between %(first)s and %(last)s.")
            % {"first": FIRST_DATE.isoformat(), "last": LAST_DATE.isoformat()},
        )
        raise IncorrectLookupParameters(error)


class SaneDateFiltersMixin:
    """Admins whose list filters refuse dates out of range (SaneDatesChangeList)."""

    def get_changelist(self, request, **kwargs):
        return SaneDatesChangeList


def _boolean_icon_in_words(field_val):
    """Django's yes/no/unknown icon, its alternative text in words."""
    icon = {True: "yes", False: "no", None: "unknown"}[field_val]
    words = gettext("yes,no,unknown").split(",")
    text = {True: words[0], False: words[1], None: words[2]}[field_val]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), text)


def boolean_icons_in_words():
    """Django's admin writes the alternative text of its yes/no icons as
    "True" / "False" / "None" in English (admin_list._boolean_icon, looked
    up there by the change list, the readonly fields and display_for_field
    at each call); screen readers read it out. Called once by the back
    office's package (accounts.admin)."""
    admin_list._boolean_icon = _boolean_icon_in_words
