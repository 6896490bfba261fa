from django.utils.translation import gettext as _

from accounts.management.base import AccountCommand, role_named, user_named
from accounts.services import user_revoke_role


class Command(AccountCommand):
    help = "Take a role away from a user; written to the account log and mailed to the user."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role")
        super().add_arguments(parser)

    def change(self, *, by, username, role, **options):
        user, role = user_named(username), role_named(role)
        user_revoke_role(user=user, role=role, by=by)
        return _("%(username)s no longer holds the role %(role)s.") % {"username": user.username, "role": role.label}
