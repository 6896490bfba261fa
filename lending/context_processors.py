"""Counts for the navigation bar: what waits for the user's approval (the
unread notices are accounts': accounts.context_processors). Computed only
when a template reads them; what waits is weighed for all waiting requests
at once (selectors.waiting_for), so the bar asks a fixed number of queries
however many wait (issue 11)."""
from functools import cached_property

from lending import selectors
from lending.policies import may_approve_anything, may_handle


class LendingNavigation:
    def __init__(self, user, waiting=None):
        self.user = user
        self._waiting = waiting

    @cached_property
    def may_handle(self):
        return may_handle(self.user)

    @cached_property
    def may_approve(self):
        return may_approve_anything(self.user, cheap=True)

    @cached_property
    def waiting(self):
        """How many requests and extensions wait for this user's decision."""
        if not self.may_approve:
            return 0
        return len(self._waiting if self._waiting is not None else selectors.waiting_for(self.user))


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # The approvals inbox has weighed what waits already (lending.views.approvals.inbox).
    return {"lending_nav": LendingNavigation(user, waiting=getattr(request, "lending_waiting", None))}
