from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LendingConfig(AppConfig):
    name = "lending"
    verbose_name = _("Lending")

    def ready(self):
        from accounts.roles import register_grants
        from core.history import register_reasons
        from lending import grants
        from lending.reasons import LendingReason
        from lending.disposability import lending_blockers
        from lending.views.panel import record_panel
        from django.conf import settings

        from jobs.schedule import register_daily
        from lending.forms_registers import LendingRegisterForm
        from lending.tasks import send_daily_reminders
        from lending.registers import lending_register_from_form
        from records.disposability import register_blocker
        from records.panels import register_record_panel
        from records.register_jobs import register_source

        register_grants(grants.ROLE_GRANTS, sensitive=grants.SENSITIVE)
        register_reasons(LendingReason)
        # The record page shows who has the record and until when (R-LEND-1);
        # records never imports lending, so lending adds its panel there.
        register_record_panel("lending/_record_panel.html", record_panel, order=50)
        register_source("lending", form_class=LendingRegisterForm, build=lending_register_from_form)
        register_daily(send_daily_reminders, at=settings.ARCHIVE_REMINDERS_AT)
        # A record asked for or out on loan is not weeded, transferred out or destroyed.
        register_blocker(lending_blockers)
        from lending.charts import register_lending_charts

        register_lending_charts()
        # What waits for the viewer on the home page's to-do list (records.todo, issue 16).
        from lending.todo import register_todos as register_lending_todos

        register_lending_todos()
