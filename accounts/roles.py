"""The one place that says what each role may do.

Each role is a Django group of the same name; `sync_role_groups` makes the
groups' permissions exactly what `ROLE_PERMISSIONS` lists, after every
migrate. Views and selectors ask permissions (`user.has_perm`), never role
names, so a site may also grant a single permission to one person.
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


def _model_perms(app_label, model, actions=("view",)):
    return [f"{app_label}.{action}_{model}" for action in actions]


_VIEW_ALL_BUSINESS = [
    *_model_perms("records", "record"),
    *_model_perms("records", "category"),
    *_model_perms("records", "location"),
    *_model_perms("records", "attachment"),
    *_model_perms("records", "accessgrant"),
    *_model_perms("contracts", "contract"),
    *_model_perms("contracts", "contractholding"),
    *_model_perms("clients", "client"),
    *_model_perms("records", "handover"),
    *_model_perms("records", "handoveritem"),
    *_model_perms("records", "accesslog"),
    *_model_perms("lending", "loanrequest"),
    *_model_perms("lending", "approval"),
    *_model_perms("lending", "loan"),
    *_model_perms("lending", "extension"),
    *_model_perms("lending", "incident"),
]

# R-LEND-4 / R-ACCESS: confidential records are seen by leadership and by
# those authorised. The archivist is the keeper (保管者) named by the same
# rule; receiving, shelving, lending and counting a file require seeing it.
ROLE_PERMISSIONS = {
    Role.STAFF: [
        "records.add_record",
        # Marketing staff look after clients (R-CLIENT): they see client files
        # with personal data masked and record visits, complaints and feedback.
        *_model_perms("clients", "client"),
        *_model_perms("clients", "clientevent", ("view", "add")),
    ],
    Role.OUTSIDE_STAFF: [],
    Role.ARCHIVIST: [
        *_VIEW_ALL_BUSINESS,
        *_model_perms("records", "record", ("add", "change")),
        *_model_perms("records", "location", ("add", "change")),
        *_model_perms("records", "attachment", ("add",)),
        *_model_perms("contracts", "contract", ("add", "change")),
        *_model_perms("contracts", "contractholding", ("add", "change")),
        *_model_perms("clients", "client", ("add", "change")),
        *_model_perms("clients", "clientcontact", ("view", "add", "change")),
        *_model_perms("clients", "clientevent", ("view", "add")),
        *_model_perms("clients", "clientdataaccess"),
        # R-CLIENT: the keeper of client files sees personal data (unmasking is logged).
        "clients.view_client_data",
        "records.view_confidential",
        "records.file_record",
        "records.view_policy",
        "lending.handle_loan",
    ],
    Role.DEPARTMENT_HEAD: [
        *_VIEW_ALL_BUSINESS,
        *_model_perms("records", "category", ("add", "change")),
        *_model_perms("records", "policy", ("view", "change")),
        *_model_perms("records", "accessgrant", ("add", "change")),
        "records.view_confidential",
        "records.approve_disposal",
        "lending.approve_loan",
        *_model_perms("clients", "clientcontact"),
        *_model_perms("clients", "clientevent", ("view", "add")),
        *_model_perms("clients", "clientdataaccess"),
        "clients.view_client_data",
    ],
    Role.LEADERSHIP: [
        "records.view_confidential",
        "records.approve_destruction",
    ],
    Role.SYSADMIN: [
        *_model_perms("accounts", "user", ("view", "add", "change")),
        *_model_perms("accounts", "department", ("view", "add", "change")),
        *_model_perms("auth", "group", ("view",)),
        "records.view_policy",
    ],
}

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
    for role, perm_keys in ROLE_PERMISSIONS.items():
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


# Permissions that open confidential records or sign-offs. A role carrying
# one of them is handed out only by someone who holds it too (in practice a
# superuser), so a system administrator cannot make themselves leadership.
SENSITIVE_PERMISSIONS = {
    "records.view_confidential",
    "records.file_record",
    "records.approve_disposal",
    "records.approve_destruction",
    "clients.view_client_data",
    "lending.approve_loan",
    "lending.handle_loan",
}


def grantable_roles(editor):
    """Roles `editor` may give or take away (R-ACCESS)."""
    if editor.is_superuser:
        return list(Role)
    held = editor.get_all_permissions()
    return [
        role for role in Role
        if not (SENSITIVE_PERMISSIONS & set(ROLE_PERMISSIONS[role])) - held
    ]
