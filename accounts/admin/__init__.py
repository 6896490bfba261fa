"""The back office (Django admin): site titles, the rules every admin page of
the project follows (`base`), and the admin of people (`users`),
departments, role groups and the account log (`departments`), the sign-in
log (`signins`) and the notices sent (`notices`).

Other apps import `BackOfficeAdmin` and `NoDeleteAdminMixin` from here."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin import departments, notices, signins, users  # noqa: F401  (they register their admins)
from accounts.admin.base import BackOfficeAdmin, NoDeleteAdminMixin
from core.admin import boolean_icons_in_words

admin.site.site_header = _("Marketing department records archive")
admin.site.site_title = _("Marketing department records archive")
admin.site.index_title = _("Back office")
# Nothing is deleted through the back office (records move to void, weeded or
# destroyed through services instead).
admin.site.disable_action("delete_selected")
# Yes/no icons say 是/否 to a screen reader, not "True"/"False".
boolean_icons_in_words()

__all__ = ["BackOfficeAdmin", "NoDeleteAdminMixin"]
