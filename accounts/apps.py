from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from accounts.middleware import IdleTimeout
        from accounts.models import AccountEventKind
        from accounts.roles import sync_role_groups
        from core.history import register_reasons

        # Changes made by commands on the server name their kind in history.
        register_reasons(AccountEventKind)
        # The demo's history rows read in words too (issue 16).
        from accounts.demo import DemoReason

        register_reasons(DemoReason)

        # Role groups and their permissions are derived from accounts.roles;
        # re-syncing after every migrate keeps the database in step with code.
        post_migrate.connect(sync_role_groups, dispatch_uid="accounts.sync_role_groups")
        # The idle clock starts at sign-in, in the session write sign-in makes.
        user_logged_in.connect(IdleTimeout.stamp, dispatch_uid="accounts.idle_timeout_stamp")
        # django-axes names its app by its label, "Axes", untranslated: the back
        # office headed the sign-in log in English. Its msgid has a Chinese
        # name in locale/vendor (登录保护).
        from django.apps import apps

        apps.get_app_config("axes").verbose_name = _("Axes")
