from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = _("Records")

    def ready(self):
        from records.ledgers.kinds import records_kind, register_ledger_kind
        from accounts.roles import register_grants
        from core.history import register_reasons
        from records import grants
        from records.history import ChangeReason
        from records.maintenance.fixity import home_panel as fixity_panel
        from records.admin.export_jobs import register_export_job
        from records.admin.import_jobs import register_import_job
        from records.ledgers.jobs import register_ledger_job
        import datetime

        from jobs.schedule import register_daily
        from records.forms import CatalogueForm
        from records.tasks import clear_stale_import_files, refresh_statistics_daily, remove_destroyed_files_daily
        from records.maintenance.jobs import register_maintenance_jobs
        from records.panels import register_home_panel
        from records.register_jobs import register_job_kinds, register_source
        from records.registers import catalogue_from_form
        from records.search.indexing import connect_signals

        register_grants(grants.ROLE_GRANTS, sensitive=grants.SENSITIVE)
        register_reasons(ChangeReason)
        connect_signals()
        # The archivist is warned first while stored files fail their check (R-FILE-6).
        register_home_panel("records/_fixity_panel.html", fixity_panel, order=10)
        # Long registers are made by background jobs (records.register_jobs).
        register_job_kinds()
        register_maintenance_jobs()
        register_import_job()
        register_export_job()  # long back-office exports (issue 16)
        register_ledger_job()  # large legacy-ledger imports (issue 15)
        from records.ocr import register_ocr_job

        register_ocr_job()  # text recognition of scans (issue 17)
        register_daily(clear_stale_import_files, at=datetime.time(3, 0))
        register_daily(refresh_statistics_daily, at=datetime.time(3, 15))
        # Bytes of destroyed files whose removal after the destruction failed (R-DISP-3).
        register_daily(remove_destroyed_files_daily, at=datetime.time(3, 45))
        register_source("catalogue", form_class=CatalogueForm, build=catalogue_from_form)
        register_ledger_kind(records_kind())  # the legacy-ledger import wizard (issue 15)
        from records.charts import register_record_charts

        register_record_charts()
        # What waits for the viewer on the home page's to-do list (records.todo, issue 16).
        from records.todo import register_todos as register_records_todos

        register_records_todos()
