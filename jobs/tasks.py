"""The task the worker runs for every job (Django's Tasks API, django-tasks
backport), and its daily clean-up; mail has its own task in core.mail."""
from django_tasks import task

from jobs.runner import execute_job
from jobs.schedule import reschedules


@task()
def run_job(job_id: str):
    execute_job(job_id)


@task()
@reschedules
def clear_old_job_files():
    from jobs.services import jobs_clear_old_files

    jobs_clear_old_files()
