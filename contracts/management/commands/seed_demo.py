"""`manage.py seed_demo`: realistic Chinese demo data, the same on every
machine, safe to run twice.

It lives in the contracts app because contracts sits at the top of the app
chain accounts <- records <- clients <- contracts; each app's demo.py seeds
only its own models, in that order.
"""
import time
import unicodedata

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import demo as accounts_demo
from clients import demo as clients_demo
from contracts import demo as contracts_demo
from documents import demo as documents_demo
from records import demo as records_demo
from records import demo_files as records_demo_files

STEPS = (accounts_demo, records_demo, clients_demo, contracts_demo, records_demo_files, documents_demo)


def _width(text):
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text, width):
    """Left-align text that may hold Chinese characters (two columns each)."""
    text = str(text)
    return text + " " * max(0, width - _width(text))


class Command(BaseCommand):
    help = gettext_lazy(
        "Load demo data: departments, one login per role, locations, records, clients, contracts and a few "
        "electronic files. "
        "Running it again changes nothing."
    )

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError(_("Demo data has well-known passwords and must not be loaded in production."))
        started = time.monotonic()
        if all(step.is_seeded() for step in STEPS):
            self.stdout.write(_("Demo data already exists; nothing was changed."))
            accounts_demo.fill_missing_emails(self.stdout.write)
        else:
            with transaction.atomic():
                people = accounts_demo.seed_accounts(self.stdout.write)
                boxes = records_demo.seed_locations(people, self.stdout.write)
                records_demo.seed_records(people, boxes, self.stdout.write)
                clients_demo.seed_clients(people, boxes, self.stdout.write)
                contracts_demo.seed_contracts(people, boxes, self.stdout.write)
                records_demo_files.seed_attachments(people, self.stdout.write)
                documents_demo.seed_documents(people, self.stdout.write)
            self.stdout.write(
                self.style.SUCCESS(_("Demo data loaded in %(seconds).1f s.") % {"seconds": time.monotonic() - started})
            )
        self._print_logins()

    def _print_logins(self):
        rows = [(_("Username"), _("Name"), _("Role"), _("Department"))]
        rows += [
            (username, name, str(role.label), str(department or ""))
            for username, name, role, department in accounts_demo.demo_logins()
        ]
        widths = [max(_width(str(row[column])) for row in rows) + 2 for column in range(4)]
        self.stdout.write("")
        self.stdout.write(_("Demo logins, password: %(password)s") % {"password": accounts_demo.DEMO_PASSWORD})
        for row in rows:
            self.stdout.write("  " + "".join(_pad(cell, width) for cell, width in zip(row, widths)).rstrip())
