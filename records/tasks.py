"""Daily upkeep the worker runs by itself (jobs.schedule): removing
back-office import files previewed more than a day ago and never confirmed
or cancelled (records.import_files; `manage.py clear_import_files` by hand)."""
from django_tasks import task

from jobs.schedule import ensure_scheduled
from records.import_files import clear_import_files


@task()
def clear_stale_import_files():
    try:
        clear_import_files()
    finally:
        ensure_scheduled()
