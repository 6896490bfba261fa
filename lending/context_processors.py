"""Counts for the navigation bar: unread notices and what waits for the
user's approval. Computed only when a template reads them."""
from functools import cached_property

from lending import selectors
from lending.models import Notice
from lending.policies import may_approve_anything, may_handle


class LendingNavigation:
    def __init__(self, user):
        self.user = user

    @cached_property
    def unread_notices(self):
        return Notice.objects.filter(user=self.user, read_at=None).count()

    @cached_property
    def may_handle(self):
        return may_handle(self.user)

    @cached_property
    def may_approve(self):
        return may_approve_anything(self.user, cheap=True)

    @cached_property
    def waiting(self):
        """How many requests and extensions wait for this user's decision."""
        return len(selectors.waiting_for(self.user)) if self.may_approve else 0


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"lending_nav": LendingNavigation(user)}
