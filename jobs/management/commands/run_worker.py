"""`manage.py run_worker`: the background worker (django-tasks-db's
db_worker) with a fixed name per machine, so that when it starts again it
knows which jobs it was running when it stopped and queues them again
(jobs.services.jobs_requeue_interrupted), and it queues the daily work
(jobs.schedule) if none is waiting. Start one per machine: ./run.sh
does beside the web server, deploy/systemd/archive-worker.service in
production. Every db_worker option works (--batch runs what is queued and
exits)."""
import os
import socket

from django.utils.translation import gettext as _
from django_tasks_db.management.commands import db_worker

from jobs.schedule import ensure_scheduled
from jobs.services import jobs_requeue_interrupted


def default_worker_id():
    name = os.environ.get("ARCHIVE_WORKER_NAME", "worker")
    return f"{socket.gethostname()}-{name}"[:64]


class Command(db_worker.Command):
    help = (
        "Run the background worker: registers, large imports, re-indexing, file checks, reminders and mail. "
        "Jobs it was running when it last stopped are queued again first."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=default_worker_id(), queue_name="*")

    def handle(self, *args, worker_id, **options):
        requeued = jobs_requeue_interrupted(worker_id=worker_id)
        if requeued and options["verbosity"]:
            self.stdout.write(
                _("%(count)d interrupted jobs queued again.") % {"count": requeued}
            )
        ensure_scheduled()
        return super().handle(*args, worker_id=worker_id, **options)
