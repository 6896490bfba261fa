"""The navigation's count of finished jobs whose result is not seen yet:
the notice that a register or import started earlier is ready (or failed).
Computed only when a template reads it: one query."""
from functools import cached_property

from jobs.selectors import unseen_results


class JobsNavigation:
    def __init__(self, user):
        self.user = user

    @cached_property
    def unseen(self):
        return unseen_results(self.user).count()


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"jobs_nav": JobsNavigation(user)}
