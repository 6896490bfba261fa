"""The one place that says what each role may do.

Each role is a Django group of the same name; each app says what the roles
may do with its own models in its `grants.py`, added here by
`register_grants` in its AppConfig.ready(); `sync_role_groups` makes the
groups' permissions exactly what was registered, after every migrate.
Views and selectors ask permissions (`user.has_perm`), never role names, so
a site may also grant a single permission to one person.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("Department staff")
    OUTSIDE_STAFF = "outside_staff", _("Other-department staff")
    ARCHIVIST = "archivist", _("Archivist")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    LEADERSHIP = "leadership", _("Leadership")
    SYSADMIN = "sysadmin", _("System administrator")

    @property
    def group_name(self):
        return self.value


def model_perms(app_label, model, actions=("view",)):
    """Permission keys for a model, e.g. model_perms("records", "record",
    ("add", "change"))."""
    return [f"{app_label}.{action}_{model}" for action in actions]


_ROLE_PERMISSIONS = {role: [] for role in Role}
_SENSITIVE_PERMISSIONS = set()


def register_grants(grants, *, sensitive=()):
    """An app adds what its roles may do ({Role: [permission keys]}) and
    which of its permissions open confidential records or sign-offs, in its
    AppConfig.ready(); accounts names the roles, each app its permissions."""
    for role, perm_keys in grants.items():
        _ROLE_PERMISSIONS[role].extend(key for key in perm_keys if key not in _ROLE_PERMISSIONS[role])
    _SENSITIVE_PERMISSIONS.update(sensitive)


def role_permissions(role):
    """Every permission key the role holds, from all apps."""
    return list(_ROLE_PERMISSIONS[role])


# What the system administrator manages: accounts and departments, never
# records (the other apps grant them nothing). Department heads, the
# archive's department and the roles that see confidential records are set
# with commands on the server (accounts/management/commands), not by them.
# Leadership reads the account log (accounts.AccountEvent) to see what was
# changed, by whom.
register_grants(
    {
        Role.LEADERSHIP: model_perms("accounts", "accountevent"),
        Role.SYSADMIN: [
            *model_perms("accounts", "user", ("view", "add", "change")),
            *model_perms("accounts", "department", ("view", "add", "change")),
            *model_perms("accounts", "accountevent"),
            *model_perms("auth", "group", ("view",)),
            # Sign-in failures and lockouts (django-axes); deleting an
            # attempt is how a locked account or address is unlocked.
            *model_perms("axes", "accessattempt", ("view", "delete")),
            *model_perms("axes", "accessfailurelog"),
            *model_perms("axes", "accesslog"),
        ],
    }
)

# Roles that work in the back office (Django admin).
BACK_OFFICE_ROLES = {Role.ARCHIVIST, Role.DEPARTMENT_HEAD, Role.SYSADMIN}


def sync_role_groups(**kwargs):
    """Create one group per role holding exactly its permissions."""
    from django.contrib.auth.models import Group, Permission

    by_key = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for role in Role:
        perm_keys = role_permissions(role)
        group, _created = Group.objects.get_or_create(name=role.group_name)
        # Permissions of apps not migrated yet are picked up by the next call.
        group.permissions.set([by_key[key] for key in perm_keys if key in by_key])


def assign_role(user, role):
    """Put a user in a role's group; back-office roles get admin access."""
    from django.contrib.auth.models import Group

    group, _created = Group.objects.get_or_create(name=role.group_name)
    user.groups.add(group)
    if role in BACK_OFFICE_ROLES and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def roles_of(user):
    names = set(user.groups.values_list("name", flat=True))
    return [role for role in Role if role.group_name in names]


def grantable_roles(editor):
    """Roles `editor` may give or take away (R-ACCESS)."""
    if editor.is_superuser:
        return list(Role)
    held = editor.get_all_permissions()
    return [
        role for role in Role
        if not (_SENSITIVE_PERMISSIONS & set(role_permissions(role))) - held
    ]
