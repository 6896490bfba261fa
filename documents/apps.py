from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self):
        from accounts.roles import register_grants
        from core.history import register_reasons
        from documents import grants
        from documents.reasons import DocumentsReason

        register_grants(grants.ROLE_GRANTS, sensitive=grants.SENSITIVE)
        register_reasons(DocumentsReason)
        # The registers print at once when short, by a background job when long.
        from documents.registers import register_sources

        register_sources()
        # A backup copies the documents' electronic originals and papers with
        # the records' files, and the file check reads them (R-FILE-6), naming
        # each by its document's number and title.
        from documents.models import ControlledDocument, DocumentPaper
        from records.maintenance.database import register_stored_files

        register_stored_files(
            ControlledDocument, file_field="source_file", sha256_field="sha256", name_field="source_name",
            owner_fields=("reference", "title"), label=_("controlled document %(owner)s"),
        )
        register_stored_files(
            DocumentPaper, file_field="file", sha256_field="sha256", size_field="size", name_field="original_name",
            owner_fields=("document__reference", "document__title"), label=_("paper of controlled document %(owner)s"),
        )
        # LIFE: the daily jobs of R-CTRL-5. Time-limited documents lapse just
        # after midnight (local); holders of recalled copies not yet returned
        # are reminded with the loan reminders, every
        # DocumentsPolicy.recall_reminder_days.
        import datetime

        from django.conf import settings

        from documents.tasks import lapse_documents_daily, send_recall_reminders_daily
        from jobs.schedule import register_daily

        register_daily(lapse_documents_daily, at=datetime.time(0, 10))
        register_daily(send_recall_reminders_daily, at=settings.ARCHIVE_REMINDERS_AT)
        # HOLDER: the home page shows what waits for each holder of copies
        # (to sign for, to hand back), the archivist and the head (R-CTRL-2..7);
        # records never imports documents, so documents adds its panel there.
        from documents.panels import home_panel
        from records.panels import register_home_panel

        register_home_panel("documents/_home_panel.html", home_panel, order=20)
        # What waits for the viewer on the home page's to-do list (records.todo, issue 16).
        from documents.todo import register_todos as register_documents_todos

        register_documents_todos()
