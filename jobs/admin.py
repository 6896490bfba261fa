"""All jobs, read-only, for the system administrator: who started what,
how it ended and why it failed."""
from django.contrib import admin

from jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "state", "created_at", "finished_at"]
    list_filter = ["state", "kind"]
    search_fields = ["title", "owner__username"]
    date_hierarchy = "created_at"
    # The file is the owner's to download, from "My jobs" (it may list
    # records the administrator may not see).
    exclude = ["params", "task_id", "heartbeat_at", "unit", "result_file"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
