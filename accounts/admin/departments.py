"""Departments, role groups and the account log in the back office.

A department's head signs loans and, for the archive's department,
confidential access (R-LEND-3, R-LEND-4): the head and which department owns
the archive are set on the server (`set_department_head`,
`set_archive_department`) and only shown here, except to a superuser."""
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db.models import Count
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.account_log import department_state
from accounts.admin.base import BackOfficeAdmin, NoDeleteAdminMixin
from accounts.admin.users import ROLE_LABELS, permission_words
from accounts.models import AccountEvent, Department
from core.admin import SaneDateFiltersMixin
from core.text import join_items


class DepartmentAdmin(BackOfficeAdmin):
    list_display = ["code", "name", "owns_archive", "head", "member_count"]
    list_filter = ["owns_archive"]
    list_select_related = ["head"]
    search_fields = ["code", "name"]
    ordering = ["code"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["head", "owns_archive"]
        return readonly

    def save_model(self, request, obj, form, change):
        form.department_before = department_state(Department.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        services.department_record_changes(department=obj, before=form.department_before, by=request.user)


class RoleGroupAdmin(NoDeleteAdminMixin, admin.ModelAdmin):
    """Role groups are derived from accounts.roles after every migrate, so
    editing them here would be undone: they are shown, not edited."""

    # Shown by the role's name in words, never by the group's code (issue 16).
    list_display = ["role_label", "permission_count"]
    list_display_links = ["role_label"]
    search_fields = ["name"]
    ordering = ["name"]
    fields = ["role_label", "permission_list"]
    readonly_fields = ["role_label", "permission_list"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(permission_count=Count("permissions"))

    @admin.display(description=_("role"))
    def role_label(self, obj):
        return ROLE_LABELS.get(obj.name, "")

    @admin.display(description=_("what the role may do"))
    def permission_list(self, obj):
        permissions = obj.permissions.select_related("content_type").order_by("content_type__app_label", "codename")
        return join_items(permission_words(permission) for permission in permissions)

    @admin.display(description=_("permissions"), ordering="permission_count")
    def permission_count(self, obj):
        return obj.permission_count

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # The pages name the role in words, not by the group's code.
    def _role_words(self, request, object_id):
        group = self.get_object(request, object_id)
        return None if group is None else ROLE_LABELS.get(group.name, group.name)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        words = self._role_words(request, object_id)
        if words is not None:
            extra_context = {**(extra_context or {}), "subtitle": words}
        return super().change_view(request, object_id, form_url, extra_context=extra_context)

    def history_view(self, request, object_id, extra_context=None):
        words = self._role_words(request, object_id)
        if words is not None:
            extra_context = {**(extra_context or {}), "title": gettext("Change history: %s") % words}
        return super().history_view(request, object_id, extra_context=extra_context)


class AccountEventAdmin(SaneDateFiltersMixin, NoDeleteAdminMixin, admin.ModelAdmin):
    """The account log is evidence: shown, never added, changed or deleted."""

    list_display = ["at", "kind", "summary", "by_label"]
    list_filter = ["kind"]
    search_fields = ["summary", "actor_name", "user__username", "user__full_name"]
    date_hierarchy = "at"
    fields = ["at", "kind", "summary", "actor", "actor_name", "user", "department"]
    readonly_fields = fields

    @admin.display(description=_("by"))
    def by_label(self, obj):
        return obj.by_label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(Department, DepartmentAdmin)
admin.site.unregister(Group)
admin.site.register(Group, RoleGroupAdmin)
admin.site.register(AccountEvent, AccountEventAdmin)
