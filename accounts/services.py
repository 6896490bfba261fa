"""Every change of accounts, roles and departments; each one writes the
account log (accounts.AccountEvent) and tells the person concerned.

Separation of duties: the system administrator manages accounts and
departments but never gains or hands out access to records. So:

- nobody sets another person's password: a link to choose one is mailed to
  the address on the account (`user_send_reset_link`, and the welcome link
  of `user_record_creation`);
- the roles that see confidential records, department heads and the
  department that owns the archive are set with commands on the server
  (`user_grant_role`, `user_revoke_role`, `department_name_head`,
  `department_take_archive`), each naming who ran it;
- the back office (accounts.admin) saves its forms itself and then calls
  `user_record_changes` / `user_record_creation` /
  `department_record_changes` with the state read before the save.

`by` is the back-office user who acted, or the name given with --by to a
command on the server.
"""
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from accounts import account_log
from accounts.account_log import account_state, department_state, person
from accounts.exceptions import AccountRefused
from accounts.models import AccountEventKind, Department, User
from accounts.roles import BACK_OFFICE_ROLES, roles_of
from core.history import save_with_history

# A link the system administrator sends: the mail says who sent it (the
# self-service mail says "someone, we hope you, asked").
RESET_TEMPLATES = {
    "subject_template_name": "registration/password_reset_subject.txt",
    "email_template_name": "registration/admin_reset_email.html",
}
WELCOME_TEMPLATES = {
    "subject_template_name": "registration/welcome_subject.txt",
    "email_template_name": "registration/welcome_email.html",
}


# --- links to choose a password ---------------------------------------------------

class _OneAccountResetForm(PasswordResetForm):
    """Django's reset mail for exactly one account, whatever the state of its
    password (a new account has none yet), and never for another account
    that happens to share the address."""

    def __init__(self, user):
        super().__init__(data={"email": user.email})
        self.user = user

    def get_users(self, email):
        return [self.user]


def _mail_link(user, request, templates):
    form = _OneAccountResetForm(user)
    if not form.is_valid():
        raise AccountRefused(
            _("The e-mail address of %(user)s is not valid: correct it first.") % {"user": person(user)}
        )

    def send():
        with translation.override(settings.LANGUAGE_CODE):
            form.save(request=request, use_https=request.is_secure(), **templates)

    transaction.on_commit(send, robust=True)


@transaction.atomic
def user_send_reset_link(*, user, by, request):
    """Mail the user Django's link to choose a new password; the person who
    sends it never learns or sets the password."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.email:
        raise AccountRefused(
            _("%(user)s has no e-mail address: add one, then send the link.") % {"user": person(user)}
        )
    if not user.is_active:
        raise AccountRefused(
            _("The account of %(user)s is deactivated: reactivate it first.") % {"user": person(user)}
        )
    _mail_link(user, request, RESET_TEMPLATES)
    with account_log.site_language():
        summary = _("Password-reset link for %(user)s sent to %(email)s.") % {
            "user": person(user),
            "email": user.email,
        }
        return account_log.write(AccountEventKind.RESET_LINK_SENT, summary, by=by, user=user)


# --- the back office saves, then records ----------------------------------------------

@transaction.atomic
def user_record_creation(*, user, by, request):
    """A new account (saved by the back office with no usable password):
    log it and mail the person a welcome link to choose their password."""
    with account_log.site_language():
        summary = _("Account %(user)s created, department %(department)s, e-mail %(email)s.") % {
            "user": person(user),
            "department": account_log.department_name(user.department),
            "email": user.email,
        }
        event = account_log.write(AccountEventKind.ACCOUNT_CREATED, summary, by=by, user=user)
    if user.email:
        _mail_link(user, request, WELCOME_TEMPLATES)
    empty = account_log.AccountState(user.department, user.email, user.is_active, frozenset())
    return [event, *account_log.log_account_changes(user, empty, account_state(user), by)]


@transaction.atomic
def user_record_changes(*, user, before, by):
    """Log what a back-office save changed: `before` is
    account_log.account_state(user) read before the save."""
    return account_log.log_account_changes(user, before, account_state(user), by)


@transaction.atomic
def department_record_changes(*, department, before, by):
    """Log a new head or archive department saved in the back office (a
    superuser's): `before` is account_log.department_state read before the
    save, None for a new department."""
    return account_log.log_department_changes(department, before, by)


# --- commands on the server ----------------------------------------------------------------

def _locked_user(user):
    return User.objects.select_for_update().get(pk=user.pk)


@transaction.atomic
def user_grant_role(*, user, role, by):
    """Give a role; a back-office role also opens the back office."""
    user = _locked_user(user)
    if not user.is_active:
        raise AccountRefused(_("The account of %(user)s is deactivated.") % {"user": person(user)})
    if role in roles_of(user):
        raise AccountRefused(
            _("%(user)s already holds the role %(role)s.") % {"user": person(user), "role": role.label}
        )
    before = account_state(user)
    user.groups.add(_group(role))
    if role in BACK_OFFICE_ROLES and not user.is_staff:
        user.is_staff = True
        save_with_history(user, reason=AccountEventKind.ROLE_GRANTED, update_fields=["is_staff"])
    return account_log.log_account_changes(user, before, account_state(user), by)


@transaction.atomic
def user_revoke_role(*, user, role, by):
    """Take a role away; who keeps no back-office role (and is no superuser)
    leaves the back office."""
    user = _locked_user(user)
    if role not in roles_of(user):
        raise AccountRefused(
            _("%(user)s does not hold the role %(role)s.") % {"user": person(user), "role": role.label}
        )
    before = account_state(user)
    user.groups.remove(_group(role))
    if user.is_staff and not user.is_superuser and not BACK_OFFICE_ROLES & set(roles_of(user)):
        user.is_staff = False
        save_with_history(user, reason=AccountEventKind.ROLE_REVOKED, update_fields=["is_staff"])
    return account_log.log_account_changes(user, before, account_state(user), by)


def _group(role):
    group, _created = Group.objects.get_or_create(name=role.group_name)
    return group


@transaction.atomic
def department_name_head(*, department, head, by):
    """Name the head of a department (None: no head). The head signs the
    loans of the department's people (R-LEND-3) and, for the archive's
    department, confidential access (R-LEND-4): so only from the server."""
    department = Department.objects.select_for_update().get(pk=department.pk)
    if head is not None:
        head = _locked_user(head)
        if not head.is_active:
            raise AccountRefused(_("The account of %(user)s is deactivated.") % {"user": person(head)})
        if head.department_id != department.pk:
            raise AccountRefused(
                _("%(user)s is not a member of %(department)s: move them to the department first.")
                % {"user": person(head), "department": department.name}
            )
    if head is not None and department.head_id == head.pk:
        raise AccountRefused(
            _("%(user)s is already the head of %(department)s.") % {"user": person(head), "department": department.name}
        )
    if head is None and department.head_id is None:
        raise AccountRefused(_("%(department)s has no head already.") % {"department": department.name})
    old_head = department.head
    department.head = head
    save_with_history(department, reason=AccountEventKind.HEAD_NAMED, update_fields=["head"])
    return account_log.log_head_named(department, old_head, by)


@transaction.atomic
def department_take_archive(*, department, by):
    """Make `department` the one that owns the archive (its head then signs
    confidential access, R-LEND-4); the previous owner stops owning it."""
    locked = list(Department.objects.select_for_update().filter(Q(owns_archive=True) | Q(pk=department.pk)))
    department = next(item for item in locked if item.pk == department.pk)
    if department.owns_archive:
        raise AccountRefused(_("%(department)s owns the archive already.") % {"department": department.name})
    previous = next((item for item in locked if item.owns_archive), None)
    events = []
    if previous is not None:
        before = department_state(previous)
        previous.owns_archive = False
        save_with_history(previous, reason=AccountEventKind.ARCHIVE_DEPARTMENT_CHANGED, update_fields=["owns_archive"])
        events += account_log.log_department_changes(previous, before, by)
    before = department_state(department)
    department.owns_archive = True
    save_with_history(department, reason=AccountEventKind.ARCHIVE_DEPARTMENT_CHANGED, update_fields=["owns_archive"])
    return events + account_log.log_department_changes(department, before, by)
