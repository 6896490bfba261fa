"""Tells a page that asked for a file that the file has arrived.

A browser stays on the page when a form's answer is a download, so the page
cannot see when the file came; static/js/busy.js sends a token with a
download form and waits for this cookie to carry it back, then says the
form is ready again (issue 16: long work shows progress)."""
import re

from django.conf import settings

COOKIE = "archive_download"
TOKEN_FIELD = "download_token"
TOKEN = re.compile(r"[0-9a-z]{1,40}")
COOKIE_SECONDS = 60


class DownloadStarted:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.get("Content-Disposition", "").startswith("attachment"):
            return response
        token = request.GET.get(TOKEN_FIELD) or (request.POST.get(TOKEN_FIELD) if request.method == "POST" else None)
        if token and TOKEN.fullmatch(token):
            # Read by the page's script, so not HttpOnly; it carries nothing but the token.
            response.set_cookie(
                COOKIE, token, max_age=COOKIE_SECONDS, samesite="Lax", httponly=False,
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
