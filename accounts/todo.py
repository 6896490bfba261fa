"""What accounts have waiting for the system administrator, for the home
page's to-do list: sign-ins locked out now by django-axes
(accounts.throttling), unlocked in the back office's sign-in attempts
(accounts.admin.signins) once the person is known.

accounts imports no app above it, so the list's item is made and
registered by records (records.todo.register_todos) from what is read
here. Accounts are opened by the system administrator directly (no
sign-up waiting for approval), so there is no "accounts waiting" item."""
from django.conf import settings
from django.utils import timezone

from axes.models import AccessAttempt

LOCKOUT_ADMIN_URL_NAME = "admin:axes_accessattempt_changelist"


def sees_lockouts(user):
    """Who reads the sign-in attempts: the system administrator (accounts.roles)."""
    return user.is_authenticated and user.is_active and user.has_perm("axes.view_accessattempt")


def locked_sign_ins(now=None):
    """Username and address pairs locked now: AXES_FAILURE_LIMIT failures
    within the cool-off time (after it, axes lets them try again)."""
    since = (now or timezone.now()) - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since)
