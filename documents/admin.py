"""The documents back office: the policy values the department head
changes (number patterns, the register's retention, recall reminders), and
the correspondence registers, controlled documents, their papers, copies
(the distribution register's lines), downloads and purge lists, each with
its history, read-only: they change only through documents.services (the
screens), which check the rules under lock; nothing is deleted. Stored
files are not linked here (the site serves no media): papers and stamped
copies are downloaded from the screens, which check who may."""
from django.contrib import admin

from accounts.admin import BackOfficeAdmin, NoDeleteAdminMixin
from core.admin import ReadOnlyAdminMixin, SaneDateFiltersMixin
from documents.models import (
    ControlledCopy,
    ControlledDocument,
    CopyDownload,
    Correspondence,
    DocumentPaper,
    DocumentsPolicy,
    RegisterPurge,
)
from records.admin import SingletonPolicyAdmin, VisibleRecordFieldsMixin


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


class ReadOnlyDocumentsAdmin(VisibleRecordFieldsMixin, ReadOnlyAdminMixin, BackOfficeAdmin):
    """Every field shown, none editable; a linked record the user may not
    see is not named (records.admin.VisibleRecordFieldsMixin)."""

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)


@admin.register(Correspondence)
class CorrespondenceAdmin(ReadOnlyDocumentsAdmin):
    """The incoming and outgoing registers (R-SCOPE 3–4)."""

    list_display = ["number", "direction", "document_date", "title", "sender", "urgency", "handler"]
    list_filter = ["direction", "year", "urgency"]
    list_select_related = ["sender", "handler"]
    search_fields = ["number", "title"]
    fields = [
        "direction", "year", "serial", "number", "document_date", "title", "pages", "urgency", "sender",
        "receivers", "handler", "note", "record", "registered_by", "registered_at",
    ]


@admin.register(ControlledDocument)
class ControlledDocumentAdmin(ReadOnlyDocumentsAdmin):
    """Controlled documents, their revisions and how they ended (R-CTRL-1..6)."""

    list_display = ["year", "serial", "title", "revision", "drafting_department", "state", "valid_until"]
    list_filter = ["state", "year"]
    list_select_related = ["drafting_department"]
    search_fields = ["title", "reference"]
    fields = [
        "year", "serial", "title", "reference", "drafting_department", "correspondence", "record", "revision",
        "supersedes", "revision_reason", "valid_until", "state", "source_name", "sha256", "page_count",
        "last_copy_number", "marked_by", "marked_at", "countersigned_by", "countersigned_at", "countersign_note",
        "distributed_at", "ended_by", "ended_at", "end_reason",
    ]


@admin.register(DocumentPaper)
class DocumentPaperAdmin(ReadOnlyDocumentsAdmin):
    """Approval and supporting papers kept with a document (R-CTRL-1, R-CTRL-6)."""

    list_display = ["original_name", "document", "kind", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["kind"]
    list_select_related = ["document", "uploaded_by"]
    search_fields = ["original_name", "document__title"]
    fields = ["document", "kind", "original_name", "size", "content_type", "sha256", "uploaded_by", "uploaded_at"]


@admin.register(ControlledCopy)
class ControlledCopyAdmin(ReadOnlyDocumentsAdmin):
    """The distribution register's lines: every copy, its holder and remark (R-CTRL-1..5)."""

    list_display = ["control_number", "document", "recipient_user", "recipient_department", "state", "holder"]
    list_filter = ["state"]
    list_select_related = ["document", "recipient_user", "recipient_department", "holder"]
    search_fields = ["control_number", "document__title"]
    fields = [
        "document", "copy_number", "control_number", "recipient_user", "recipient_department", "state",
        "issued_by", "issued_at", "holder", "signed_at", "signed_on_paper", "signature_recorded_by", "remark",
        "replaces", "times_replaced", "damage_reported_at", "lost_on", "recalled_at", "last_reminded_at",
        "returned_at", "returned_to", "destroyed_at", "destroyed_by", "purge",
    ]


@admin.register(CopyDownload)
class CopyDownloadAdmin(ReadOnlyAdminMixin, SaneDateFiltersMixin, NoDeleteAdminMixin, admin.ModelAdmin):
    """Every download of a stamped copy (R-CTRL-2): written once, never
    changed, so it keeps no history: the rows are the log."""

    list_display = ["at", "copy", "by", "as_reference"]
    list_filter = ["as_reference"]
    list_select_related = ["copy", "by"]
    search_fields = ["copy__control_number", "copy__document__title"]
    fields = ["copy", "by", "at", "as_reference"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)


@admin.register(RegisterPurge)
class RegisterPurgeAdmin(ReadOnlyDocumentsAdmin):
    """Purge lists of expired register lines and their decision (R-CTRL-7)."""

    list_display = ["number", "state", "proposed_by", "proposed_at", "decided_by", "decided_at"]
    list_filter = ["state"]
    list_select_related = ["proposed_by", "decided_by"]
    search_fields = ["number"]
    fields = [
        "number", "state", "proposed_lines", "proposed_by", "proposed_at", "decided_by", "decided_at",
        "refusal_reason",
    ]
