from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """Background jobs: long work (registers, large imports, re-indexing,
    file checks, reminders, mail) runs in a worker process, not in a web
    request. Built on Django's Tasks API (the django-tasks backport) with its
    database backend, so the embedded SQLite set-up needs no other server.
    Apps say what a kind of job does in their AppConfig.ready()
    (jobs.registry.register_job_kind); this app knows no app above it."""

    name = "jobs"
    verbose_name = _("Background jobs")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        import datetime

        from jobs.schedule import register_daily
        from jobs.tasks import clear_old_job_files

        register_daily(clear_old_job_files, at=datetime.time(3, 30))
