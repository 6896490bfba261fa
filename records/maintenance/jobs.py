"""The archive's upkeep as background jobs, started from the maintenance
page (records.views.maintenance): re-reading every stored file against its
SHA-256 (R-FILE-6) and rebuilding the full-text search index. The same work
runs from the command line (verify_files, rebuild_search_index) and on the
timers in deploy/."""
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jobs.models import ProgressUnit
from jobs.registry import register_job_kind
from records.maintenance.fixity import verify_files
from records.search import rebuild_index

VERIFY_FILES = "records.verify_files"
REBUILD_SEARCH_INDEX = "records.rebuild_search_index"


def run_verify_files(run):
    check = verify_files(progress=run.progress)
    if check.in_order:
        run.summary = ngettext(
            "%(files)d stored file checked: in order.", "All %(files)d stored files checked: in order.",
            check.files_checked,
        ) % {"files": check.files_checked}
    else:
        run.summary = _(
            "%(count)d of %(files)d stored files failed the check; the home page lists them."
        ) % {"count": check.problem_count, "files": check.files_checked}


def run_rebuild_search_index(run):
    count = rebuild_index(progress=run.progress)
    run.summary = _("Search index rebuilt: %(count)d records.") % {"count": count}


def register_maintenance_jobs():
    register_job_kind(VERIFY_FILES, run_verify_files, unit=ProgressUnit.FILES)
    register_job_kind(REBUILD_SEARCH_INDEX, run_rebuild_search_index, unit=ProgressUnit.RECORDS)
