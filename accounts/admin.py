"""The back office (Django admin): site titles, the rules every admin page of
the project follows, and the admin of people, departments and roles.

`BackOfficeAdmin` is the base of every business model's admin (records,
clients and contracts import it from here, following the one-way import
order accounts ← records ← clients ← contracts):

- nothing is deleted through the admin (records only change state);
- history (django-simple-history) is shown on every page, with the user who
  made each change (HistoryRequestMiddleware and SimpleHistoryAdmin set it);
- history is evidence, not an undo button: its pages are read-only and only
  show objects the user may see in the change list (R-ACCESS).
"""
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Count
from django.http import Http404, HttpResponseNotAllowed
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from core.text import join_items
from accounts.models import Department, User
from accounts.roles import Role, grantable_roles

admin.site.site_header = _("Marketing department records archive")
admin.site.site_title = _("Marketing department records archive")
admin.site.index_title = _("Back office")
# Nothing is deleted through the back office (records move to void, weeded or
# destroyed through services instead).
admin.site.disable_action("delete_selected")


class NoDeleteAdminMixin:
    """Refuses deletion for every object, whatever the user's permissions."""

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class _HistoryChangeHelper(HistoricalRecordContextHelper):
    """Passes every old and new value of a history delta through
    `display_value` before it is shown."""

    def __init__(self, model, historical_record, display_value):
        super().__init__(model, historical_record)
        self.display_value = display_value

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        if isinstance(value, list):
            return [self.display_value(item) for item in value]
        return self.display_value(value)


class BackOfficeAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    """Base admin of every model with history."""

    def get_historical_record_context_helper(self, request, historical_record):
        return _HistoryChangeHelper(
            self.model, historical_record, lambda value: self.history_value(request, value)
        )

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


@admin.register(Department)
class DepartmentAdmin(BackOfficeAdmin):
    list_display = ["code", "name", "owns_archive", "member_count"]
    list_filter = ["owns_archive"]
    search_fields = ["code", "name"]
    ordering = ["code"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count


ROLE_LABELS = {role.group_name: role.label for role in Role}


@admin.register(User)
class UserAdmin(BackOfficeAdmin, DjangoUserAdmin):
    """People and their roles. Roles are groups whose permissions come from
    accounts.roles; the system administrator assigns them."""

    list_display = ["username", "full_name", "department", "roles", "is_staff", "is_active", "last_login"]
    list_filter = ["department", "groups", "is_active", "is_staff", "is_superuser"]
    list_select_related = ["department"]
    search_fields = ["username", "full_name", "first_name", "last_name", "email"]
    ordering = ["username"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "department", "email", "first_name", "last_name")}),
        (
            _("Roles and permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "department", "usable_password", "password1", "password2"),
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("roles"))
    def roles(self, obj):
        return join_items(ROLE_LABELS.get(group.name, group.name) for group in obj.groups.all())

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "groups":
            kwargs["label"] = _("roles")
            kwargs["help_text"] = _(
                "Each role gives the permissions listed for it in accounts/roles.py. "
                "Roles that see confidential records are given by a superuser."
            )
            kwargs["queryset"] = self._grantable_groups(request)
        return super().formfield_for_manytomany(db_field, request=request, **kwargs)

    @staticmethod
    def _grantable_groups(request):
        return Group.objects.filter(name__in=[role.group_name for role in grantable_roles(request.user)])

    def save_related(self, request, form, formsets, change):
        # The form offers only grantable roles; keep the others as they were
        # instead of silently taking them away.
        kept = list(form.instance.groups.exclude(pk__in=self._grantable_groups(request))) if change else []
        super().save_related(request, form, formsets, change)
        if kept:
            form.instance.groups.add(*kept)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Rights come from roles; only a superuser hands out superuser
            # status or single permissions.
            readonly += ["is_superuser", "user_permissions"]
        return readonly

    def has_change_permission(self, request, obj=None):
        # A system administrator who is not a superuser cannot take over a
        # superuser's account (password, roles).
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)


admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(NoDeleteAdminMixin, admin.ModelAdmin):
    """Role groups are derived from accounts.roles after every migrate, so
    editing them here would be undone: they are shown, not edited."""

    list_display = ["name", "role_label", "permission_count"]
    search_fields = ["name"]
    ordering = ["name"]
    fields = ["name", "role_label", "permissions"]
    readonly_fields = ["name", "role_label", "permissions"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(permission_count=Count("permissions"))

    @admin.display(description=_("role"))
    def role_label(self, obj):
        return ROLE_LABELS.get(obj.name, "")

    @admin.display(description=_("permissions"), ordering="permission_count")
    def permission_count(self, obj):
        return obj.permission_count

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
