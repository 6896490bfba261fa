"""The daily jobs of controlled documents (jobs.schedule, registered in
DocumentsConfig.ready()): reminders of outstanding recalls and the lapse of
time-limited documents (R-CTRL-5). Both are idempotent for their day: a
copy reminded is not reminded again before DocumentsPolicy.
recall_reminder_days, a lapsed document does not lapse twice."""
from django_tasks import task

from documents.services.voiding import documents_lapse_due, send_recall_reminders
from jobs.schedule import reschedules


@task()
@reschedules
def send_recall_reminders_daily():
    send_recall_reminders()


@task()
@reschedules
def lapse_documents_daily():
    documents_lapse_due()
