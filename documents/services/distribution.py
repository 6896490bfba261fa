"""Distributing a controlled document (R-CTRL-1, R-CTRL-2): the distribution
list (people or departments, copies each) produces copies, each with its
own controlled number and its line in the distribution register; the
recipients sign for them in the application, or the archivist records a
paper signature."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Department, User
from accounts.notices import notify
from core.history import save_with_history
from core.text import join_items
from documents import notices, numbering, policies
from documents.exceptions import DocumentsRefused
from documents.models import ControlledCopy, CopyState, DocumentState
from documents.reasons import DocumentsReason
from documents.services._core import (
    MY_COPIES_PAGE,
    locked_copy,
    locked_document,
    page_url,
    recipient_name,
    refuse_state,
    refuse_unless_archivist,
)


@transaction.atomic
def copies_distribute(*, document, by, recipients):
    """Issue copies per the distribution list `recipients`: (User or
    Department, number of copies) pairs. Numbers run on from the document's
    last one without gaps (numbering.allocate_copy_numbers locks the
    document). The first distribution puts the document in force and, for
    a revision, supersedes the previous one (R-CTRL-6). Returns the copies."""
    document = locked_document(document)
    refuse_unless_archivist(by)
    if document.state not in policies.DISTRIBUTABLE_STATES:
        raise DocumentsRefused(
            _("“%(title)s” is %(state)s: no copies can be issued.")
            % {"title": document.title, "state": document.get_state_display()}
        )
    recipients = _checked_recipients(recipients)
    numbers = iter(numbering.allocate_copy_numbers(document, sum(count for _recipient, count in recipients)))
    now = timezone.now()
    copies = []
    for recipient, count in recipients:
        issued = [_issue(document, recipient, next(numbers), by=by, at=now) for _ in range(count)]
        _tell_recipient(recipient, issued)
        copies.extend(issued)
    if document.state == DocumentState.READY:
        _put_in_force(document, by=by, at=now)
    return copies


@transaction.atomic
def copy_sign(*, copy, by):
    """The addressed person, or a member of the addressed department, signs
    for an issued copy in the application and becomes its holder."""
    copy = locked_copy(copy)
    _refuse_unless_may_sign(by, copy)
    copy.holder, copy.signed_at, copy.state = by, timezone.now(), CopyState.SIGNED
    save_with_history(copy, by=by, reason=DocumentsReason.COPY_SIGNED)
    notices.signing_handled([copy])
    return copy


@transaction.atomic
def copy_record_paper_signature(*, copy, by, signer):
    """The archivist records that `signer` (the addressed person, or an
    active member of the addressed department) signed for the copy on the
    paper register; `signer` becomes its holder."""
    copy = locked_copy(copy)
    refuse_unless_archivist(by)
    if signer is None:
        raise DocumentsRefused(_("Choose who signed for the copy."), field="signer")
    _refuse_unless_may_sign(signer, copy, field="signer")
    copy.holder, copy.signed_at, copy.state = signer, timezone.now(), CopyState.SIGNED
    copy.signed_on_paper, copy.signature_recorded_by = True, by
    save_with_history(copy, by=by, reason=DocumentsReason.COPY_SIGNED_ON_PAPER)
    notices.signing_handled([copy])
    return copy


def _checked_recipients(recipients):
    """The list as (recipient, copies) pairs, refused when empty, with a
    count below one, an inactive person, a department nobody active can
    sign for, or a recipient named twice."""
    recipients = [(recipient, count) for recipient, count in (recipients or ())]
    if not recipients:
        raise DocumentsRefused(_("The distribution list is empty: name at least one person or department."),
                               field="recipients")
    seen = set()
    for recipient, count in recipients:
        name = _name(recipient)
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise DocumentsRefused(
                _("%(recipient)s: the number of copies must be at least 1.") % {"recipient": name}, field="recipients"
            )
        key = (type(recipient), recipient.pk)
        if key in seen:
            raise DocumentsRefused(
                _("%(recipient)s is on the distribution list twice.") % {"recipient": name}, field="recipients"
            )
        seen.add(key)
        _refuse_unreachable(recipient, name)
    return recipients


def _name(recipient):
    if isinstance(recipient, User):
        return recipient.display_name
    if isinstance(recipient, Department):
        return recipient.name
    raise TypeError(f"A copy goes to a User or a Department, not {recipient!r}.")


def _refuse_unreachable(recipient, name):
    if isinstance(recipient, User):
        if not User.objects.filter(pk=recipient.pk, is_active=True).exists():
            raise DocumentsRefused(
                _("%(person)s's account is deactivated: no copy can be issued to them.") % {"person": name},
                field="recipients",
            )
    elif not User.objects.filter(department=recipient, is_active=True).exists():
        raise DocumentsRefused(
            _("%(department)s has no active member to sign for a copy.") % {"department": name}, field="recipients"
        )


def _issue(document, recipient, number, *, by, at):
    copy_number, control_number = number
    copy = ControlledCopy(
        document=document,
        copy_number=copy_number,
        control_number=control_number,
        recipient_user=recipient if isinstance(recipient, User) else None,
        recipient_department=recipient if isinstance(recipient, Department) else None,
        state=CopyState.ISSUED,
        issued_by=by,
        issued_at=at,
    )
    return save_with_history(copy, by=by, reason=DocumentsReason.COPY_ISSUED)


def _tell_recipient(recipient, copies):
    """The addressed person, or every active member of the addressed
    department, is told to sign for the copies; once they are all signed
    for, by any member, the notices clear for everyone (notices.sign_subject)."""
    values = {
        "numbers": join_items(copy.control_number for copy in copies),
        "title": copies[0].document.title,
        "department": recipient.name if isinstance(recipient, Department) else "",
    }
    url, subject = page_url(MY_COPIES_PAGE), notices.sign_subject(copies[0])
    if isinstance(recipient, User):
        message = ngettext(
            "Controlled copy %(numbers)s of “%(title)s” was issued to you: please sign for it.",
            "Controlled copies %(numbers)s of “%(title)s” were issued to you: please sign for them.",
            len(copies),
        )
        notify(recipient, message % values, url, subject)
        return
    message = ngettext(
        "Controlled copy %(numbers)s of “%(title)s” was issued to %(department)s: one of you signs for it.",
        "Controlled copies %(numbers)s of “%(title)s” were issued to %(department)s: one of you signs for them.",
        len(copies),
    )
    for member in User.objects.filter(department=recipient, is_active=True):
        notify(member, message % values, url, subject)


def _put_in_force(document, *, by, at):
    """The first distribution puts the document in force; a revision's
    replaces the previous revision, whose copies are recalled (R-CTRL-6)."""
    document.state, document.distributed_at = DocumentState.IN_FORCE, at
    save_with_history(document, by=by, reason=DocumentsReason.DISTRIBUTED)
    if document.supersedes_id is not None:
        # Part LIFE's service; imported here, where it is used, only so
        # that this module does not wait for it to load.
        from documents.services.revisions import supersede_previous

        supersede_previous(document=document, by=by)


def _refuse_unless_may_sign(user, copy, field=None):
    if policies.may_sign_for(user, copy):
        return
    if copy.state != CopyState.ISSUED:
        refuse_state(copy, _("Copy %(number)s is %(state)s: it cannot be signed for."))
    if not user.is_active:
        message = _("%(person)s's account is deactivated: they cannot sign for copy %(number)s.")
    elif copy.recipient_user_id is not None:
        message = _("Copy %(number)s is addressed to %(recipient)s: only they sign for it; %(person)s cannot.")
    else:
        message = _(
            "Copy %(number)s is addressed to %(recipient)s: only a member of it signs for it; %(person)s cannot."
        )
    raise DocumentsRefused(
        message % {"number": copy.control_number, "recipient": recipient_name(copy), "person": user.display_name},
        field=field,
    )
