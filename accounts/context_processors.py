from functools import cached_property

from accounts.notices import unread_count
from accounts.roles import roles_of
from accounts.views import may_view_account_changes


class NoticeNavigation:
    """The navigation bar's count of unread notices, asked only when a
    template reads it (one query)."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def unread(self):
        return unread_count(self.user)


def navigation(request):
    """The signed-in user's roles, whether the navigation bar offers the
    account log, and their unread notices, for the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "user_roles": roles_of(user),
        "may_view_account_changes": may_view_account_changes(user),
        "notices_nav": NoticeNavigation(user),
    }
