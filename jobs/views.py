"""My jobs: the list, one job's progress (the page reloads itself while the
job runs), and its file. Only the person who started a job sees it."""
import logging

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.stored_files import open_streamed, stored_file_response
from core.views import gate
from jobs.selectors import jobs_of
from jobs.services import job_mark_seen

logger = logging.getLogger(__name__)

JOBS_PER_PAGE = 20
# Seconds between reloads of a job page while the job waits or runs.
REFRESH_SECONDS = 2


@require_GET
def job_list(request):
    page = Paginator(jobs_of(request.user), JOBS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "jobs/job_list.html", {"page_obj": page, "jobs": page.object_list})


@require_GET
def job_detail(request, pk):
    job = get_object_or_404(jobs_of(request.user), pk=pk)
    if job.is_finished and not job.result_file:
        job_mark_seen(job=job)  # nothing to download: reading it is seeing it
    return render(
        request, "jobs/job_detail.html",
        {"job": job, "refresh_seconds": None if job.is_finished else REFRESH_SECONDS},
    )


@require_GET
def job_download(request, pk):
    job = get_object_or_404(jobs_of(request.user), pk=pk)
    gate(bool(job.result_file), hide=True)
    job_mark_seen(job=job)
    # Relayed as it is read, from the disk or object storage alike.
    try:
        handle = open_streamed(job.result_file.storage, job.result_file.name)
    except FileNotFoundError:
        # Deleted from the disk or the bucket behind the archive's back: the
        # job's page says so instead of an error page.
        logger.error("The file of job %s is missing from storage: %s", job.pk, job.result_file.name)
        messages.error(
            request,
            _("%(name)s is no longer in the file storage; start the job again for a new copy.")
            % {"name": job.result_name},
        )
        return redirect("job_detail", pk=job.pk)
    return stored_file_response(handle, filename=job.result_name, content_type=job.result_content_type)
