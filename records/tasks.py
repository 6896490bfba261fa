"""Daily upkeep the worker runs by itself (jobs.schedule): removing
back-office import files previewed more than a day ago and never confirmed
or cancelled (records.import_files; `manage.py clear_import_files` by hand),
and refreshing the query planner's statistics as the archive grows
(records.maintenance.statistics: without them SQLite sorts the whole archive
for the home page instead of reading its newest-first index), and removing
the bytes of destroyed files whose removal after the destruction failed
(records.files.removal, R-DISP-3; `manage.py remove_destroyed_files` by
hand)."""
import logging

from django_tasks import task

from jobs.schedule import reschedules
from records.files.removal import remove_destroyed_files
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


logger = logging.getLogger(__name__)


@task()
@reschedules
def remove_destroyed_files_daily():
    removed, failed = remove_destroyed_files()
    if removed or failed:
        logger.warning("Destroyed files: %d removed, %d could not be removed.", removed, len(failed))
    for problem in failed:
        logger.error(
            "Destroyed file %s of %s (attachment %s) is still stored: %s",
            problem.file_name, problem.archive_number, problem.attachment_id, problem.error,
        )
