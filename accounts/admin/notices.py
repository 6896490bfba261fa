"""Notices in the back office, read-only: what was sent to whom (the same
text went by mail), whatever app sent it."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin.base import NoDeleteAdminMixin
from accounts.models import Notice
from core.admin import ReadOnlyAdminMixin, SaneDateFiltersMixin


class NoticeReadFilter(admin.SimpleListFilter):
    title = _("read")
    parameter_name = "read"

    def lookups(self, request, model_admin):
        return [("no", _("Unread")), ("yes", _("Read"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(read_at__isnull=self.value() == "no")
        return queryset


@admin.register(Notice)
class NoticeAdmin(SaneDateFiltersMixin, ReadOnlyAdminMixin, NoDeleteAdminMixin, admin.ModelAdmin):
    """Notices sent. A notice may name a confidential record, so a user sees
    only their own notices; a superuser sees all. Notices keep no history:
    they are written once, by accounts.notices.notify, and only marked read."""

    list_display = ["created_at", "user", "text", "read_at"]
    list_filter = [NoticeReadFilter]
    list_select_related = ["user"]
    search_fields = ["text", "user__username", "user__full_name"]
    date_hierarchy = "created_at"
    fields = ["user", "text", "url", "created_at", "read_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(user=request.user)
