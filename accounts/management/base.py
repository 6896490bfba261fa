"""What the account commands share: `--by` (who ran the command, written to
the account log), looking up users, departments and roles with a clear
message, and a refusal of accounts.services turned into a non-zero exit.

These commands are how department heads, the archive's department and the
roles that see confidential records are set: on the server, by whoever may
log in there, never in the back office by the system administrator."""
from abc import ABCMeta, abstractmethod

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.exceptions import AccountRefused
from accounts.models import Department, User
from accounts.roles import Role
from core.text import join_items


class AccountCommand(BaseCommand, metaclass=ABCMeta):
    def add_arguments(self, parser):
        parser.add_argument(
            "--by",
            required=True,
            help="Who runs the command (a name), written to the account log.",
        )

    def handle(self, *args, by, **options):
        by = by.strip()
        if not by:
            raise CommandError(_("Say who runs the command with --by NAME."))
        try:
            message = self.change(by=by, **options)
        except AccountRefused as refusal:
            raise CommandError(refusal.message) from refusal
        self.stdout.write(self.style.SUCCESS(message))

    @abstractmethod
    def change(self, *, by, **options):
        """Make the change through accounts.services; return what to print."""


def user_named(username):
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise CommandError(_("There is no user %(username)s.") % {"username": username}) from None


def department_coded(code):
    try:
        return Department.objects.get(code=code)
    except Department.DoesNotExist:
        codes = join_items(Department.objects.values_list("code", flat=True))
        raise CommandError(
            _("There is no department with the code %(code)s. Codes: %(codes)s.") % {"code": code, "codes": codes}
        ) from None


def role_named(value):
    try:
        return Role(value)
    except ValueError:
        names = join_items(role.value for role in Role)
        raise CommandError(_("There is no role %(role)s. Roles: %(roles)s.") % {"role": value, "roles": names}) from None
