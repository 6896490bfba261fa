"""`manage.py seed_demo_lending`: demo requests, signatures, loans, returns
and an incident, played through lending.services (lending.demo). Run it
after `seed_demo`; running it again changes nothing."""
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lending import demo
from lending.exceptions import LendingRefused


class Command(BaseCommand):
    help = gettext_lazy(
        "Load demo lending data (requests in each state, loans out, due and overdue, returns, an incident) "
        "through the lending services. Needs seed_demo first; running it again changes nothing."
    )

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError(_("Demo data has well-known passwords and must not be loaded in production."))
        if not demo.is_ready():
            raise CommandError(_("Load the demo data first: manage.py seed_demo"))
        if demo.is_seeded():
            self.stdout.write(_("Lending demo data already exists; nothing was changed."))
            return
        started = time.monotonic()
        try:
            with transaction.atomic():
                demo.seed_lending(self.stdout.write)
        except (LendingRefused, demo.DemoNotReady) as exc:
            raise CommandError(
                _("The lending demo could not be loaded, nothing was changed: %(reason)s") % {"reason": exc}
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Lending demo data loaded in %(seconds).1f s.") % {"seconds": time.monotonic() - started}
            )
        )
