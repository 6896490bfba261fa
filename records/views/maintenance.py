"""The archivist's maintenance page: start a file check or a search index
rebuild in the background, see the last file check (with the files it found
wrong) and recent runs."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.views import gate
from jobs.models import Job
from jobs.services import job_start
from records.maintenance.fixity import MAINTENANCE_PAGE_ITEMS, latest_check, listed_problems
from records.maintenance.jobs import REBUILD_SEARCH_INDEX, VERIFY_FILES
from records.policies import may_run_maintenance

ACTIONS = {
    "verify_files": (VERIFY_FILES, gettext_lazy("Check every stored file")),
    "rebuild_search_index": (REBUILD_SEARCH_INDEX, gettext_lazy("Rebuild the search index")),
}
RECENT_RUNS = 10


@require_http_methods(["GET", "POST"])
def maintenance(request):
    gate(may_run_maintenance(request.user))
    if request.method == "POST" and request.POST.get("action") in ACTIONS:
        kind, title = ACTIONS[request.POST["action"]]
        job = job_start(kind=kind, owner=request.user, title=title)
        messages.info(request, _("Started in the background; this page shows how far it has got."))
        return redirect("job_detail", job.pk)
    recent = Job.objects.filter(kind__in=[kind for kind, _title in ACTIONS.values()]).select_related("owner")
    check = latest_check()
    problems, more = listed_problems(check, MAINTENANCE_PAGE_ITEMS) if check is not None else ([], 0)
    return render(
        request, "records/maintenance.html",
        {"check": check, "problems": problems, "more_problems": more, "recent": recent[:RECENT_RUNS]},
    )
