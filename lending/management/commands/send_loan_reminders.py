"""Daily reminders of loans due tomorrow and overdue loans, for cron:

    python manage.py send_loan_reminders [--today YYYY-MM-DD]

Idempotent per loan, kind and day (lending.notices.send_reminders)."""
import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from lending.models import ReminderKind
from lending.notices import send_reminders


def _day(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("--today: a date as YYYY-MM-DD, not %(value)s.") % {"value": value}) from None


class Command(BaseCommand):
    help = "Send reminders of loans due tomorrow and of overdue loans, at most once per loan, kind and day."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=str, help="The day to run for (YYYY-MM-DD); default: today.")

    def handle(self, *args, today=None, **options):
        day = _day(today) if today else timezone.localdate()
        sent = send_reminders(day)
        self.stdout.write(
            _("%(day)s: %(due)d due-tomorrow and %(overdue)d overdue reminders sent.")
            % {"day": day.isoformat(), "due": sent[ReminderKind.DUE_TOMORROW], "overdue": sent[ReminderKind.OVERDUE]}
        )
