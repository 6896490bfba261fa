"""Mail leaves through the background worker (manage.py run_worker), never
from the web request: a slow or absent mail server delays nobody's click.
The task is queued in the caller's database transaction, so an action that
rolls back mails nobody, and the worker cannot see (or send) it before the
commit. A mail the server refuses is a failed task with its traceback in
the back office's task results; the action it belongs to stands."""
from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task


@task()
def send_mail_task(subject: str, body: str, recipients: list[str]):
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def mail_later(subject, body, recipients):
    send_mail_task.enqueue(str(subject), str(body), list(recipients))
