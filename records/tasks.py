"""Daily upkeep the worker runs by itself (jobs.schedule): removing
back-office import files previewed more than a day ago and never confirmed
or cancelled (records.import_files; `manage.py clear_import_files` by hand),
and refreshing the query planner's statistics as the archive grows
(records.maintenance.statistics: without them SQLite sorts the whole archive
for the home page instead of reading its newest-first index)."""
from django_tasks import task

from jobs.schedule import reschedules
from records.import_files import clear_import_files
from records.maintenance.statistics import refresh_planner_statistics


@task()
@reschedules
def clear_stale_import_files():
    clear_import_files()


@task()
@reschedules
def refresh_statistics_daily():
    refresh_planner_statistics()
