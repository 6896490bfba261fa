"""The production server serves a signed-in page (issue 11, point 4).

gunicorn is started with deploy/gunicorn.conf.py and production settings
(tests/test_deployment.py's PRODUCTION_ENV), over a fresh SQLite database that
manage.py migrates in a temporary directory, with a user made by
`createsuperuser --noinput`: the steps of the README's production section.
Requests go over real HTTP the way the proxy (deploy/nginx/archive.conf)
forwards them: Host, X-Forwarded-Proto: https, X-Forwarded-For.

The server always has its own SQLite database, also in the PostgreSQL run of
./test.sh: what is under test is the server, its settings and the proxy
headers, not the database, and pytest's PostgreSQL test database lives inside
each test's transaction, where another process cannot see a user made in it.
"""
import http.client
import re
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest

from tests.test_deployment import PRODUCTION_ENV, ROOT, run_manage, server_env

HOST = PRODUCTION_ENV["ARCHIVE_ALLOWED_HOSTS"]
USERNAME = "prod-archivist"
PASSWORD = "Tl7-production-check"
START_SECONDS = 30


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ProxiedBrowser:
    """A browser behind the proxy: each request carries the headers nginx
    adds. Cookies are kept by hand, as they are Secure and the connection to
    gunicorn is plain HTTP (the proxy ends TLS)."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, *, form=None, https=True):
        """(response, text); `form` is sent url-encoded."""
        body = content_type = None
        if form is not None:
            body, content_type = urlencode(form), "application/x-www-form-urlencoded"
        response, content = self.send(method, path, body=body, content_type=content_type, https=https)
        return response, content.decode("utf-8", errors="replace")

    def send(self, method, path, *, body=None, content_type=None, https=True):
        """(response, bytes) of one request with the proxy's headers."""
        headers = {"Host": HOST, "X-Forwarded-For": "203.0.113.7"}
        if https:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = content_type
            headers["Origin"] = f"https://{HOST}"
            headers["Referer"] = f"https://{HOST}{path}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for raw in response.headers.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(raw).items():
                self.cookies[name] = morsel.value
        return response, content


def _wait_until_up(server, port, log_path):
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited with {server.returncode}:\n{log_path.read_text()}")
        try:
            response, text = ProxiedBrowser(port).request("GET", "/healthz")
        except OSError:
            time.sleep(0.2)
            continue
        if response.status == 200 and text == "ok":
            return
        pytest.fail(f"/healthz answered {response.status}: {text[:200]}")
    pytest.fail(f"gunicorn did not answer within {START_SECONDS} s:\n{log_path.read_text()}")


def _prepare_site(variables):
    for args, extra in [
        (("migrate", "--noinput"), {}),
        (
            ("createsuperuser", "--noinput", "--username", USERNAME, "--email", "archivist@example.com"),
            {"DJANGO_SUPERUSER_PASSWORD": PASSWORD},
        ),
    ]:
        result = run_manage(*args, **variables, **extra)
        assert result.returncode == 0, f"manage.py {args[0]}:\n{result.stdout}{result.stderr}"


@contextmanager
def running_gunicorn(directory, variables, *, workers):
    """gunicorn with deploy/gunicorn.conf.py and `variables` on a free port,
    its log in `directory`; yields the port once /healthz answers, and
    shuts it down gracefully after."""
    port = free_port()
    log_path = directory / "gunicorn.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
            cwd=ROOT,
            env=server_env(**variables, ARCHIVE_WEB_BIND=f"127.0.0.1:{port}", ARCHIVE_WEB_WORKERS=str(workers)),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(server, port, log_path)
        yield port
    finally:
        server.terminate()  # gunicorn's graceful shutdown
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    """The port of gunicorn serving a fresh production site."""
    directory = tmp_path_factory.mktemp("production-site")
    variables = dict(PRODUCTION_ENV, ARCHIVE_VAR_DIR=str(directory), ARCHIVE_PROXY_COUNT="1")
    _prepare_site(variables)
    with running_gunicorn(directory, variables, workers=2) as port:
        yield port


def _csrf_token(page):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match, page[:500]
    return match.group(1)


def test_a_user_signs_in_through_the_production_server(production_server):
    browser = ProxiedBrowser(production_server)
    response, page = browser.request("GET", "/accounts/login/")
    assert response.status == 200, page[:500]
    assert "<title>登录 · 市场部档案管理系统</title>" in page
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "csrftoken" in browser.cookies

    form = {"csrfmiddlewaretoken": _csrf_token(page), "username": USERNAME, "password": PASSWORD}
    response, page = browser.request("POST", "/accounts/login/", form=form)
    assert response.status == 302, page[:500]
    assert response.headers["Location"] == "/"
    session_cookie = next(raw for raw in response.headers.get_all("Set-Cookie") if raw.startswith("sessionid="))
    assert "Secure" in session_cookie and "HttpOnly" in session_cookie

    response, page = browser.request("GET", "/")
    assert response.status == 200, page[:500]
    assert "<title>首页 · 市场部档案管理系统</title>" in page
    assert f'<span class="user-menu__name">{USERNAME}</span>' in page
    assert "退出登录" in page
    assert response.headers["Cache-Control"] == "no-store"
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]


def test_a_wrong_password_is_refused(production_server):
    browser = ProxiedBrowser(production_server)
    _response, page = browser.request("GET", "/accounts/login/")
    form = {"csrfmiddlewaretoken": _csrf_token(page), "username": USERNAME, "password": "not-the-password"}
    response, page = browser.request("POST", "/accounts/login/", form=form)
    assert response.status == 200
    assert "sessionid" not in browser.cookies
    response, page = browser.request("GET", "/")
    assert response.status == 302
    assert response.headers["Location"].startswith("/accounts/login/")


def test_plain_http_is_sent_to_https(production_server):
    """Without the proxy's X-Forwarded-Proto: https, production redirects."""
    response, _page = ProxiedBrowser(production_server).request("GET", "/accounts/login/", https=False)
    assert response.status == 301
    assert response.headers["Location"] == f"https://{HOST}/accounts/login/"


def test_the_health_check_answers_without_a_session(production_server):
    response, text = ProxiedBrowser(production_server).request("GET", "/healthz")
    assert (response.status, text) == (200, "ok")
    assert response.headers.get_all("Set-Cookie") is None
    assert "no-store" in response.headers["Cache-Control"]
