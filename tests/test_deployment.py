"""Production settings: `check --deploy` is clean, and half-configured production refuses to start.

Each check runs `manage.py` in a subprocess, because settings are read once per
process from the environment.
"""
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "ARCHIVE_ENV": "production",
    "ARCHIVE_SECRET_KEY": secrets.token_urlsafe(64),  # about 86 characters
    "ARCHIVE_ALLOWED_HOSTS": "archive.example.com",
    "ARCHIVE_FIELD_KEY": "bm90LWEtcmVhbC1rZXktb25seS1mb3ItdGVzdHMhISE=",  # any 32 bytes, base64
}


def server_env(**variables):
    """The test process's environment with only the given ARCHIVE_* variables.

    None of the test process's ARCHIVE_*, DATABASE_URL or DJANGO_* variables is
    passed on: a production server has none of them (browser tests, for one, set
    DJANGO_ALLOW_ASYNC_UNSAFE, which `check --deploy` rightly reports).
    """
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("ARCHIVE_", "DJANGO_")) and name != "DATABASE_URL"
    }
    env.update(variables)
    return env


def run_manage(*args, **variables):
    """Run manage.py with only the given ARCHIVE_* variables (server_env)."""
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=server_env(**variables),
        capture_output=True,
        text=True,
        # A fresh migrate takes ~20 s on a quiet machine; CI beside other
        # work was seen past 120 s (a timeout there is no deployment fault).
        timeout=360,
    )


def test_check_deploy_passes_without_warnings_in_production():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output, output
    assert not re.search(r"\.W\d{3}", output), output


def test_check_deploy_really_reports_warnings():
    """The clean result above is meaningful: a weak key is reported (security.W009)."""
    weak = dict(PRODUCTION_ENV, ARCHIVE_SECRET_KEY="too-short")
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **weak)
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        pytest.param(
            {"ARCHIVE_ENV": "production", "ARCHIVE_ALLOWED_HOSTS": "archive.example.com"},
            "ARCHIVE_SECRET_KEY",
            id="no-secret-key",
        ),
        pytest.param(
            {"ARCHIVE_ENV": "production", "ARCHIVE_SECRET_KEY": PRODUCTION_ENV["ARCHIVE_SECRET_KEY"]},
            "ARCHIVE_ALLOWED_HOSTS",
            id="no-allowed-hosts",
        ),
        pytest.param(dict(PRODUCTION_ENV, ARCHIVE_DEBUG="1"), "ARCHIVE_DEBUG", id="debug-on"),
    ],
)
def test_half_configured_production_is_refused(variables, message):
    result = run_manage("check", **variables)
    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr, result.stderr
    assert message in result.stderr


def test_env_example_lists_every_variable_the_settings_read():
    read_pattern = re.compile(
        r"""(?:env_(?:str|bool|int|list)\(|os\.environ\.get\(|os\.getenv\(|os\.environ\[)\s*["']([A-Z][A-Z0-9_]*)["']"""
    )
    read = set()
    for source in (ROOT / "archive_site").glob("*.py"):
        read.update(read_pattern.findall(source.read_text(encoding="utf-8")))
    assert "ARCHIVE_SECRET_KEY" in read  # the pattern does find settings' variables

    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", example, flags=re.MULTILINE))
    assert read - documented == set(), "add these to .env.example"
