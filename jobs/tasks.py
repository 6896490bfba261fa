"""The tasks the worker runs (Django's Tasks API, django-tasks backport)."""
from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

from jobs.runner import execute_job


@task()
def run_job(job_id: str):
    execute_job(job_id)


@task()
def send_mail_task(subject: str, body: str, recipients: list[str]):
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
