"""Admin of holds (冻结): the back office places a hold with a reason and
releases it with a reason, both through records.services.holds; nothing is
deleted, and history shows who froze or released a record and why."""
from django.contrib import admin
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from accounts.admin import BackOfficeAdmin
from core.views import refusal_to_message
from records.admin.visibility import VisibleRecordFieldsMixin
from records.exceptions import RecordActionRefused
from records.models import Hold
from records.selectors import visible_records
from records.services.holds import hold_place, hold_release

PLACED_FIELDS = ["record", "reason", "ends_on", "scope", "placed_by", "placed_at"]
ADD_FIELDS = ["record", "reason", "ends_on", "scope"]
RELEASED_FIELDS = ["released_by", "released_at", "release_reason"]


class HoldStateFilter(admin.SimpleListFilter):
    """In force (Hold.objects.active: not released, not past its end
    date), lapsed at its end date, or released."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", _("In force")), ("lapsed", _("Past its end date")), ("closed", _("Released"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.active()
        if self.value() == "lapsed":
            return queryset.filter(released_at__isnull=True).exclude(pk__in=queryset.active().values("pk"))
        if self.value() == "closed":
            return queryset.filter(released_at__isnull=False)
        return queryset


@admin.register(Hold)
class HoldAdmin(VisibleRecordFieldsMixin, BackOfficeAdmin):
    """Adding a hold places it (hold_place); the change page of an active
    hold releases it (hold_release) with a reason. A released hold is only
    looked at."""

    list_display = ["record", "reason", "is_active", "ends_on", "placed_by", "placed_at", "released_by", "released_at"]
    list_filter = [HoldStateFilter, "placed_at"]
    list_select_related = ["record", "placed_by", "released_by"]
    search_fields = ["record__archive_number", "record__title", "reason", "release_reason"]
    date_hierarchy = "placed_at"
    autocomplete_fields = ["record"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(record__in=visible_records(request.user).values("pk"))

    def get_fields(self, request, obj=None):
        return ADD_FIELDS if obj is None else [*PLACED_FIELDS, *RELEASED_FIELDS]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if obj.is_released:
            return [*PLACED_FIELDS, *RELEASED_FIELDS]
        # What was placed stays as it was; the one thing to write is why it is released.
        return [*PLACED_FIELDS, "released_by", "released_at"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "release_reason":
            formfield.required = True
            formfield.help_text = _("Saving releases the hold: the record may then be weeded, written off or destroyed.")
        return formfield

    def has_change_permission(self, request, obj=None):
        # A released hold stays as it was released.
        return super().has_change_permission(request, obj) and (obj is None or not obj.is_released)

    @admin.display(description=_("active"), boolean=True)
    def is_active(self, obj):
        return obj.is_active

    def save_model(self, request, obj, form, change):
        if change:
            hold = hold_release(hold=obj, by=request.user, reason=form.cleaned_data["release_reason"])
        else:
            hold = hold_place(
                record=obj.record,
                by=request.user,
                reason=form.cleaned_data["reason"],
                ends_on=form.cleaned_data.get("ends_on"),
                scope=form.cleaned_data.get("scope", ""),
            )
        obj.pk = hold.pk
        obj.refresh_from_db()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The form checks what it can; a refusal the service still raises
        # (a hold released meanwhile) rolls the save back and is shown here.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except RecordActionRefused as refusal:
            refusal_to_message(request, refusal)
            return HttpResponseRedirect(request.get_full_path())
