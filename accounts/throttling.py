"""Login throttling on top of django-axes.

django-axes counts failures per username and address (AXES_LOCKOUT_PARAMETERS)
and locks that pair after AXES_FAILURE_LIMIT failures. That alone lets one
address try a few passwords on every account ("spraying"); this handler also
locks an address once the failures from it, over all usernames, reach
ARCHIVE_LOGIN_IP_FAILURE_LIMIT within the cool-off time. Failures and
lockouts are written by axes (back office → 访问失败 / 访问尝试) and an
administrator unlocks there or with `manage.py axes_reset_username NAME` /
`axes_reset_ip ADDRESS`."""
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt


def client_address(request):
    """The address a sign-in is counted for (AXES_CLIENT_IP_CALLABLE).

    With ARCHIVE_PROXY_COUNT proxies in front (nginx: 1), each appends the
    address it received the request from to X-Forwarded-For, so the entry
    that many places from the right was written by our own proxy and is the
    client's; entries further left are whatever the client sent and are
    ignored (they could be forged). With no proxy declared the header is not
    read at all. Without this, every sign-in behind nginx would count for
    127.0.0.1 and one person's failures would lock everybody out."""
    proxies = settings.ARCHIVE_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def address_failures(ip_address):
    """Failures from one address, over all usernames, within the cool-off."""
    if not ip_address:
        return 0
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=since)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class ArchiveLoginHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None):
        if super().is_locked(request, credentials):
            return True
        ip_address = getattr(request, "axes_ip_address", None)
        return address_failures(ip_address) >= settings.ARCHIVE_LOGIN_IP_FAILURE_LIMIT


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets (HTTP 429), in the user's language."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
