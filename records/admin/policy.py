"""Policy values in the back office. Each app keeps its own values in a
records.models.SingletonPolicy subclass and registers it with
SingletonPolicyAdmin; the department head changes them, with history."""
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.admin import BackOfficeAdmin
from records.models import Policy


class SingletonPolicyAdmin(BackOfficeAdmin):
    """One row of policy values: the list is that row, made with the
    defaults when missing, as every reader of the policy does."""

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not self.model.objects.exists()

    def changelist_view(self, request, extra_context=None):
        if self.has_view_or_change_permission(request):
            opts = self.model._meta
            return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[self.model.current().pk]))
        return super().changelist_view(request, extra_context=extra_context)


@admin.register(Policy)
class PolicyAdmin(SingletonPolicyAdmin):
    """How archive numbers are made (R-FILE-5)."""

    list_display = ["__str__", "archive_number_pattern"]
    fieldsets = ((_("Archive numbers"), {"fields": ("fonds_code", "unit_code", "archive_number_pattern")}),)
