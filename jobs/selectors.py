"""Which jobs a person sees: their own. The back office shows all of them
to the system administrator (jobs.admin)."""
from jobs.models import Job, JobState


def jobs_of(user):
    return Job.objects.filter(owner=user).order_by("-created_at")


def unseen_results(user):
    """Finished jobs whose result the owner has not opened yet."""
    return Job.objects.filter(owner=user, state__in=JobState.finished(), seen_at=None)
