from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from accounts.management.base import AccountCommand, department_coded, user_named
from accounts.services import department_name_head


class Command(AccountCommand):
    help = (
        "Name the head of a department (USERNAME, a member of it) or leave it without one (--none). "
        "The head signs the loans of the department's people and, for the archive's department, "
        "confidential access. Written to the account log and mailed to the old and the new head."
    )

    def add_arguments(self, parser):
        parser.add_argument("department_code")
        parser.add_argument("username", nargs="?")
        parser.add_argument("--none", action="store_true", help="Leave the department without a head.")
        super().add_arguments(parser)

    def change(self, *, by, department_code, username, none, **options):
        if none == bool(username):
            raise CommandError(_("Give either the head's username or --none."))
        department = department_coded(department_code)
        head = user_named(username) if username else None
        department_name_head(department=department, head=head, by=by)
        if head is None:
            return _("%(department)s has no head now.") % {"department": department.name}
        return _("%(username)s is now the head of %(department)s.") % {
            "username": head.username,
            "department": department.name,
        }
