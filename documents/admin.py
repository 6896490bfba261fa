from django.contrib import admin

from documents.models import DocumentsPolicy
from records.admin import SingletonPolicyAdmin


@admin.register(DocumentsPolicy)
class DocumentsPolicyAdmin(SingletonPolicyAdmin):
    """How document and controlled numbers are made (R-SCOPE 3–4, R-CTRL-2),
    how long the distribution register is kept (R-CTRL-7) and how often
    outstanding recalls are reminded (R-CTRL-5)."""

    list_display = [
        "__str__",
        "outgoing_number_pattern",
        "control_number_pattern",
        "register_retention_after_void_years",
        "register_retention_after_lapse_years",
    ]
    fields = [
        "outgoing_number_pattern",
        "incoming_number_pattern",
        "control_number_pattern",
        "register_retention_after_void_years",
        "register_retention_after_lapse_years",
        "recall_reminder_days",
    ]
