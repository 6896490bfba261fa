from accounts.roles import roles_of
from accounts.views import may_view_account_changes


def navigation(request):
    """The signed-in user's roles, and whether the navigation bar offers the
    account log, for the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"user_roles": roles_of(user), "may_view_account_changes": may_view_account_changes(user)}
