"""Site-wide request handling of accounts: the interface language, security
headers and the idle timeout."""
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _


class ChineseUnlessChosen:
    """The interface is Chinese unless the user chose English with the
    language switch: the browser's Accept-Language header is ignored, so an
    English-language browser in the department still gets 中文 by default.
    Must come before django.middleware.locale.LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    @classmethod
    def stamp(cls, sender, request, user, **kwargs):
        if request is not None and hasattr(request, "session"):
            request.session[cls.SESSION_KEY] = int(time.time())

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class SecurityHeaders:
    """Headers Django's SecurityMiddleware does not set: Permissions-Policy on
    every response, and `Cache-Control: no-store` on every page served to a
    signed-in user, so that no confidential record page, register, export or
    personal data stays in a browser's or a proxy's cache (R-ACCESS). A view
    that sets its own Cache-Control keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    @classmethod
    def stamp(cls, sender, request, user, **kwargs):
        if request is not None and hasattr(request, "session"):
            request.session[cls.SESSION_KEY] = int(time.time())

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response


class IdleTimeout:
    """Sign a user out after ARCHIVE_IDLE_TIMEOUT_MINUTES without a request.

    The time of the last request is kept in the session: stamped at sign-in
    (`stamp`, on user_logged_in, when the session is written anyway) and
    renewed at most once a minute, so that reading pages does not turn every
    request into a database write."""

    SESSION_KEY = "archive_last_seen"
    WRITE_EVERY_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    @classmethod
    def stamp(cls, sender, request, user, **kwargs):
        if request is not None and hasattr(request, "session"):
            request.session[cls.SESSION_KEY] = int(time.time())

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(self.SESSION_KEY, now)
            if now - last_seen > settings.ARCHIVE_IDLE_TIMEOUT_MINUTES * 60:
                logout(request)
                messages.info(request, _("You were signed out after a time without activity. Please sign in again."))
                return redirect_to_login(request.get_full_path())
            if now - last_seen >= self.WRITE_EVERY_SECONDS or self.SESSION_KEY not in request.session:
                request.session[self.SESSION_KEY] = now
        return self.get_response(request)
