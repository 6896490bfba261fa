"""The task the worker runs for every job (Django's Tasks API, django-tasks
backport); mail has its own task in core.mail."""
from django_tasks import task

from jobs.runner import execute_job


@task()
def run_job(job_id: str):
    execute_job(job_id)
