"""The access log in the back office: read-only, and only entries about
records the reader may see (R-ACCESS, R-LEND-4)."""
from django.contrib import admin

from accounts.admin import NoDeleteAdminMixin
from core.admin import SaneDateFiltersMixin
from records.models import AccessLog
from records.selectors import visible_records


@admin.register(AccessLog)
class AccessLogAdmin(SaneDateFiltersMixin, NoDeleteAdminMixin, admin.ModelAdmin):
    """Who opened or downloaded which confidential record, when. Rows are
    written by records.access_log only; here they are looked at."""

    list_display = ["at", "user", "action", "record", "attachment", "where"]
    list_filter = ["action"]
    list_select_related = ["user", "record", "attachment"]
    search_fields = ["user__username", "user__full_name", "record__archive_number", "record__title", "where"]
    date_hierarchy = "at"
    fields = ["at", "user", "action", "record", "attachment", "where"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).filter(record__in=visible_records(request.user).values("pk"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
