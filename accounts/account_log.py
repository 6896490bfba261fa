"""The account log (accounts.AccountEvent) and the mail that tells a person
their account was changed.

Only accounts.services writes here. A summary is written in the site's
language (settings.LANGUAGE_CODE) and kept as written: the log is evidence
and does not change with a later translation. The mail is queued in the
transaction and sent by the worker after it commits (core.mail), so a
refused or rolled-back change mails nobody.
"""
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import AccountEvent, AccountEventKind, Department
from accounts.roles import Role, roles_of
from core.mail import mail_later

ACTOR_NAME_LENGTH = AccountEvent._meta.get_field("actor_name").max_length


@dataclass(frozen=True)
class AccountState:
    """What the log follows of a user: compared before and after a change."""

    department: Department | None
    email: str
    is_active: bool
    roles: frozenset


def account_state(user):
    return AccountState(user.department, user.email, user.is_active, frozenset(roles_of(user)))


@dataclass(frozen=True)
class DepartmentState:
    head: object  # accounts.User or None
    owns_archive: bool


def department_state(department):
    return DepartmentState(department.head, department.owns_archive)


def site_language():
    """The log and its mails are written in the site's language, whatever
    language the person acting chose for their screen."""
    return translation.override(settings.LANGUAGE_CODE)


def person(user):
    if user is None:
        return pgettext("account log", "nobody")
    return pgettext("account log", "%(name)s (%(username)s)") % {
        "name": user.display_name,
        "username": user.username,
    }


def department_name(department):
    return department.name if department is not None else pgettext("account log", "no department")


def _actor(by):
    """`by` is the back-office user who acted, or the name given with --by
    to a command on the server."""
    if isinstance(by, str):
        return None, by.strip()[:ACTOR_NAME_LENGTH]
    return by, person(by)[:ACTOR_NAME_LENGTH]


def write(kind, summary, *, by, user=None, department=None):
    actor, actor_name = _actor(by)
    return AccountEvent.objects.create(
        kind=kind, summary=str(summary), actor=actor, actor_name=actor_name, user=user, department=department
    )


# --- a user's account -------------------------------------------------------

def _role_events(user, before, after, by):
    events = []
    for role in Role:
        if role in after.roles and role not in before.roles:
            summary = _("Role %(role)s given to %(user)s.")
            events.append(write(AccountEventKind.ROLE_GRANTED, summary % _words(user, role), by=by, user=user))
        elif role in before.roles and role not in after.roles:
            summary = _("Role %(role)s taken from %(user)s.")
            events.append(write(AccountEventKind.ROLE_REVOKED, summary % _words(user, role), by=by, user=user))
    return events


def _words(user, role):
    return {"role": role.label, "user": person(user)}


def _detail_events(user, before, after, by):
    events = []
    if before.department != after.department:
        summary = _("%(user)s moved from %(old)s to %(new)s.") % {
            "user": person(user),
            "old": department_name(before.department),
            "new": department_name(after.department),
        }
        events.append(write(AccountEventKind.DEPARTMENT_CHANGED, summary, by=by, user=user))
    if before.email != after.email:
        empty = pgettext("account log", "none")
        summary = _("E-mail address of %(user)s changed from %(old)s to %(new)s.") % {
            "user": person(user),
            "old": before.email or empty,
            "new": after.email or empty,
        }
        events.append(write(AccountEventKind.EMAIL_CHANGED, summary, by=by, user=user))
    if before.is_active != after.is_active:
        if after.is_active:
            kind, summary = AccountEventKind.ACCOUNT_REACTIVATED, _("Account of %(user)s reactivated.")
        else:
            kind, summary = AccountEventKind.ACCOUNT_DEACTIVATED, _("Account of %(user)s deactivated.")
        events.append(write(kind, summary % {"user": person(user)}, by=by, user=user))
    return events


def log_account_changes(user, before, after, by):
    """Write one event per change between two states of `user` and tell the
    person (at the old and the new address when the address changed)."""
    with site_language():
        events = _role_events(user, before, after, by) + _detail_events(user, before, after, by)
        tell(user, events, addresses=[before.email, after.email])
    return events


# --- a department -------------------------------------------------------------

def log_department_changes(department, before, by):
    """Events for a new head or a change of who owns the archive; `before`
    is None for a department just added. The old and the new head are told."""
    before = before or DepartmentState(head=None, owns_archive=False)
    events = []
    with site_language():
        if before.head != department.head:
            events.append(log_head_named(department, before.head, by))
        if before.owns_archive != department.owns_archive:
            if department.owns_archive:
                summary = _("%(department)s now owns the archive.")
            else:
                summary = _("%(department)s no longer owns the archive.")
            events.append(
                write(
                    AccountEventKind.ARCHIVE_DEPARTMENT_CHANGED,
                    summary % {"department": department.name},
                    by=by,
                    department=department,
                )
            )
    return events


def log_head_named(department, old_head, by):
    new_head = department.head
    with site_language():
        summary = _("Head of %(department)s: %(old)s → %(new)s.") % {
            "department": department.name,
            "old": person(old_head),
            "new": person(new_head),
        }
        event = write(
            AccountEventKind.HEAD_NAMED, summary, by=by, user=new_head or old_head, department=department
        )
        for head in {old_head, new_head} - {None}:
            tell(head, [event])
    return event


# --- telling the person ---------------------------------------------------------

def tell(user, events, *, addresses=None):
    """Mail `user` what was changed on their account and by whom, after
    commit; a person without an address is not mailed."""
    recipients = list(dict.fromkeys(address for address in (addresses or [user.email]) if address))
    if not recipients or not events:
        return
    with site_language():
        subject = _("Marketing department records archive: your account was changed")
        body = _(
            "Hello %(name)s,\n\n"
            "these changes were made to your account in the marketing department records archive:\n\n"
            "%(changes)s\n\n"
            "By: %(by)s\n"
            "When: %(when)s\n\n"
            "If you did not expect them, tell the leadership of the department."
        ) % {
            "name": user.display_name,
            "changes": "\n".join(event.summary for event in events),
            "by": events[0].by_label,
            "when": timezone.localtime(events[0].at).strftime("%Y-%m-%d %H:%M"),
        }
    mail_later(subject, body, recipients)

