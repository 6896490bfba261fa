from django.utils.translation import gettext as _

from accounts.management.base import AccountCommand, department_coded
from accounts.services import department_take_archive


class Command(AccountCommand):
    help = (
        "Make a department the one that owns the archive (its head signs confidential access); "
        "the previous one stops owning it. Written to the account log."
    )

    def add_arguments(self, parser):
        parser.add_argument("department_code")
        super().add_arguments(parser)

    def change(self, *, by, department_code, **options):
        department = department_coded(department_code)
        department_take_archive(department=department, by=by)
        return _("%(department)s now owns the archive.") % {"department": department.name}
