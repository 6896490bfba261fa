"""The rules every admin page of the project follows.

`BackOfficeAdmin` is the base of every business model's admin (records,
clients and contracts import it from here, following the one-way import
order accounts ← records ← clients ← contracts):

- nothing is deleted through the admin (records only change state);
- history (django-simple-history) is shown on every page, with the user who
  made each change (HistoryRequestMiddleware and SimpleHistoryAdmin set it);
- history is evidence, not an undo button: its pages are read-only and only
  show objects the user may see in the change list (R-ACCESS);
- a page saved without a change writes nothing, and dates out of range in
  the list filters are refused with a message, never a 500;
- the history page reads as the rest of the site: field names and states in
  words, local times without seconds' fractions, reasons in words and "—"
  where there is nothing (issue 16).
"""
import datetime

from django.contrib.admin.utils import unquote
from django.db.models import BooleanField
from django.http import Http404, HttpResponseNotAllowed
from django.template.defaultfilters import yesno
from django.utils import timezone
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper, ObjDiffDisplay

from core.admin import SaneDateFiltersMixin
from core.history import reason_label

# What the history page shows where a value or a reason is empty.
NOTHING = "—"


def history_display_value(field, value):
    """A value of a history delta as a reader sees it: a choice by its label,
    a time in local time to the minute, a date as YYYY-MM-DD, yes/no in
    words, and "—" for nothing."""
    if isinstance(value, DeletedObject) and value.pk is None:
        value = None  # simple-history shows an empty foreign key as a deleted object
    if value is None or value == "" or value == []:
        return NOTHING
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(field, BooleanField) or isinstance(value, bool):
        return yesno(bool(value))
    if getattr(field, "choices", None):
        return dict(field.flatchoices).get(value, value)
    return value


def history_reason(record):
    """A history row's reason in words; "—" when it has none."""
    return reason_label(record.history_change_reason) or NOTHING


class NoDeleteAdminMixin:
    """Refuses deletion for every object, whatever the user's permissions."""

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class _ShortenedInWords(ObjDiffDisplay):
    """simple-history shortens long values with "[20 chars]": in words."""

    def shortened_str(self, prefix, num_skipped_chars, suffix):
        skipped = ngettext("(%(count)d character more)", "(%(count)d characters more)", num_skipped_chars)
        return f"{prefix}{skipped % {'count': num_skipped_chars}}{suffix}"


class _HistoryChangeHelper(HistoricalRecordContextHelper):
    """Passes every old and new value of a history delta through
    `display_value` before it is shown."""

    def __init__(self, model, historical_record, display_value):
        # Values are shown whole up to a long paragraph (a list of linked
        # records), shortened in words beyond.
        super().__init__(model, historical_record, max_displayed_delta_change_chars=1000)
        self.display_value = display_value

    def get_obj_diff_display(self):
        return _ShortenedInWords(max_length=self.max_displayed_delta_change_chars)

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if isinstance(value, list):
            return [self.display_value(item) for item in value] or NOTHING
        return history_display_value(field, self.display_value(value))


class BackOfficeAdmin(SaneDateFiltersMixin, NoDeleteAdminMixin, SimpleHistoryAdmin):
    """Base admin of every model with history."""

    # simple-history's list with our column headings, local times and reasons in words.
    object_history_list_template = "admin/history/object_history_list.html"

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        for record in historical_records:
            record.reason_words = history_reason(record)

    def get_historical_record_context_helper(self, request, historical_record):
        return _HistoryChangeHelper(
            self.model, historical_record, lambda value: self.history_value(request, value)
        )

    def save_model(self, request, obj, form, change):
        # A page saved without a change writes nothing: no save, so no
        # history row that only says "someone pressed Save" (a filed record's
        # page, all read-only, would otherwise add one every time). A new
        # object is always saved.
        if change and not form.has_changed():
            return
        super().save_model(request, obj, form, change)

    def history_value(self, request, value):
        """A value as shown in the changes column of the history page.
        Subclasses hide what the user may not see."""
        if isinstance(value, DeletedObject) and value.pk is None:
            # simple-history shows an empty foreign key as a deleted object.
            return None
        return value

    def _get_visible_object_or_404(self, request, object_id):
        # get_object() goes through get_queryset(), so an object hidden from
        # the change list (a confidential record, R-LEND-4) is hidden here too.
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        return obj

    def history_view(self, request, object_id, extra_context=None):
        # simple-history falls back to the last historical row when the
        # object is not in get_queryset(); that would show hidden objects.
        self._get_visible_object_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history saves a POSTed historical form whatever
        # SIMPLE_HISTORY_REVERT_DISABLED says, and the save would write every
        # field of the old version (status, archive number …) past the
        # services. A past version may only be looked at.
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        self._get_visible_object_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)
