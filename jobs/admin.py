"""All jobs, read-only, for the system administrator: who started what,
how it ended and why it failed."""
from django.contrib import admin

from core.admin import ReadOnlyAdminMixin, SaneDateFiltersMixin
from jobs.models import Job


@admin.register(Job)
class JobAdmin(SaneDateFiltersMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "owner", "state", "created_at", "finished_at"]
    list_filter = ["state", "kind"]
    search_fields = ["title", "owner__username"]
    date_hierarchy = "created_at"
    # The file is the owner's to download, from "My jobs" (it may list
    # records the administrator may not see).
    exclude = ["params", "task_id", "heartbeat_at", "unit", "result_file"]
