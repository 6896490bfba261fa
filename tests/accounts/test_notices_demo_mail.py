"""Demo people have e-mail addresses (issue 16), so the mail behind each
notice can be read on the console (the default mail backend of the run
command): every demo login and every extra marketing person gets
<username>@example.com; a demo seeded before gets the missing addresses
and an address set since stays."""
import io
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from accounts import demo
from accounts.models import User
from contracts.management.commands import seed_demo as seed_demo_command


def quiet(_line):
    pass


def test_every_demo_person_has_an_address(db):
    demo.seed_accounts(quiet)
    addresses = dict(User.objects.filter(username__in=demo.DEMO_USERNAMES).values_list("username", "email"))
    assert addresses == {username: f"{username}@example.com" for username in demo.DEMO_USERNAMES}
    assert addresses["archivist"] == "archivist@example.com"


def test_an_older_demo_gets_the_missing_addresses_and_keeps_the_ones_set(db):
    demo.seed_accounts(quiet)
    User.objects.filter(username="staff").update(email="")
    User.objects.filter(username="head").update(email="liuyang@corp.example")
    before = User.history.count()
    demo.seed_accounts(quiet)
    assert User.objects.get(username="staff").email == "staff@example.com"
    assert User.objects.get(username="head").email == "liuyang@corp.example"
    # One history line, for the address filled in.
    assert User.history.count() == before + 1
    assert User.history.first().history_change_reason == demo.DEMO_CHANGE_REASON


def test_the_run_command_shows_mail_on_the_console_by_default():
    # Tests swap the backend for locmem: read the default in the settings.
    source = (Path(settings.BASE_DIR) / "archive_site" / "settings.py").read_text(encoding="utf-8")
    assert 'env_str("ARCHIVE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")' in source


def test_seed_demo_on_an_existing_demo_fills_in_the_addresses(db, monkeypatch):
    demo.seed_accounts(quiet)
    User.objects.filter(username__in=["archivist", "sunhao"]).update(email="")
    for step in seed_demo_command.STEPS:
        monkeypatch.setattr(step, "is_seeded", lambda: True)
    output = io.StringIO()
    with translation.override("en"):
        call_command("seed_demo", stdout=output)
    assert "Demo data already exists" in output.getvalue()
    assert "E-mail addresses: 2 demo people given one." in output.getvalue()
    assert User.objects.get(username="archivist").email == "archivist@example.com"
    assert User.objects.get(username="sunhao").email == "sunhao@example.com"
