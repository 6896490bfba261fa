"""Lost and damaged copies. Lost (R-CTRL-3): the line's remark says 丢失
with the date, and a new copy is issued under a new controlled number on a
new line. Damaged (R-CTRL-4): the old copy is destroyed and a new one
handed over under the same number, on the same line (the remark records
it), with no new line."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.notices import notify
from core.history import save_with_history
from documents import notices, numbering, policies
from documents.exceptions import DocumentsRefused
from documents.models import ControlledCopy, CopyState
from documents.reasons import DocumentsReason
from documents.services._core import (
    MY_COPIES_PAGE,
    add_remark,
    locked_copy,
    page_url,
    recipient_name,
    refuse_state,
    refuse_unless_archivist,
    tell_archivists,
    text,
)

DOCUMENT_PAGE = "documents_document_detail"


@transaction.atomic
def copy_report_lost(*, copy, by, lost_on=None, note=""):
    """The holder (or the archivist) reports a copy lost: state LOST, the
    remark "<date> 丢失" (R-CTRL-3); the archivists are told when the
    holder reports. Not for a copy no longer out (recalled, returned...)."""
    copy = locked_copy(copy)
    _refuse_unless_may_report(by, copy, _("Copy %(number)s is %(state)s: it cannot be reported lost."))
    lost_on = lost_on or timezone.localdate()
    if lost_on > timezone.localdate():
        raise DocumentsRefused(_("The day the copy was lost cannot be in the future."), field="lost_on")
    if lost_on < copy.issued_at.astimezone(timezone.get_current_timezone()).date():
        raise DocumentsRefused(_("The copy cannot have been lost before it was issued."), field="lost_on")
    note = text(note, model=ControlledCopy, field="remark")
    copy.state, copy.lost_on = CopyState.LOST, lost_on
    add_remark(copy, pgettext("distribution register remark", "lost"), note, on=lost_on)
    save_with_history(copy, by=by, reason=DocumentsReason.COPY_LOST)
    # A copy lost before anyone signed for it waits for no signature now.
    notices.signing_handled([copy])
    if not policies.may_distribute(by):
        tell_archivists(
            _("%(person)s reported controlled copy %(number)s of “%(title)s” lost; issue a new copy.")
            % _values(copy, by),
            by=by,
            url=page_url(DOCUMENT_PAGE, copy.document_id),
            subject=notices.copy_subject(copy),
        )
    return copy


@transaction.atomic
def copy_reissue_lost(*, copy, by):
    """The archivist issues a new copy for a lost one (R-CTRL-3): a new line
    under a new number, to the same recipient, `replaces` the lost copy;
    each line's remark names the other's number. Once per lost copy, and
    only while the document may be distributed."""
    copy = locked_copy(copy)
    refuse_unless_archivist(by)
    if copy.state != CopyState.LOST:
        refuse_state(copy, _("Copy %(number)s is %(state)s, not lost: no new copy is issued for it."))
    replacement = ControlledCopy.objects.filter(replaces=copy).first()
    if replacement is not None:
        raise DocumentsRefused(
            _("A new copy %(new)s was already issued for lost copy %(number)s.")
            % {"new": replacement.control_number, "number": copy.control_number}
        )
    if not policies.may_reissue_lost(by, copy):
        raise DocumentsRefused(
            _("“%(title)s” is %(state)s: no copies can be issued.")
            % {"title": copy.document.title, "state": copy.document.get_state_display()}
        )
    new_copy = _issue_replacement(copy, by=by)
    issued = pgettext("distribution register remark", "new copy %(number)s issued")
    add_remark(copy, issued % {"number": new_copy.control_number})
    save_with_history(copy, by=by, reason=DocumentsReason.COPY_REPLACED_LOST)
    notices.copy_handled(copy)
    if new_copy.recipient_user_id is not None:
        notify(
            new_copy.recipient_user,
            _("Controlled copy %(new)s of “%(title)s” replaces lost copy %(number)s: please sign for it.")
            % {"new": new_copy.control_number, "title": copy.document.title, "number": copy.control_number},
            page_url(MY_COPIES_PAGE),
            notices.sign_subject(new_copy),
        )
    return new_copy


@transaction.atomic
def copy_report_damaged(*, copy, by, note=""):
    """The holder (or the archivist) reports a copy damaged: the remark
    "<date> 报损", the archivists told; the archivist then replaces it
    under the same number (copy_replace_damaged, R-CTRL-4)."""
    copy = locked_copy(copy)
    _refuse_unless_may_report(by, copy, _("Copy %(number)s is %(state)s: it cannot be reported damaged."))
    if copy.damage_reported_at is not None:
        raise DocumentsRefused(
            _("Copy %(number)s is already reported damaged; the archivist will replace it.")
            % {"number": copy.control_number}
        )
    note = text(note, model=ControlledCopy, field="remark")
    copy.damage_reported_at = timezone.now()
    add_remark(copy, pgettext("distribution register remark", "reported damaged"), note)
    save_with_history(copy, by=by, reason=DocumentsReason.COPY_DAMAGE_REPORTED)
    if not policies.may_distribute(by):
        tell_archivists(
            _(
                "%(person)s reported controlled copy %(number)s of “%(title)s” damaged; "
                "replace it under the same number."
            )
            % _values(copy, by),
            by=by,
            url=page_url(DOCUMENT_PAGE, copy.document_id),
            subject=notices.copy_subject(copy),
        )
    return copy


@transaction.atomic
def copy_replace_damaged(*, copy, by, note=""):
    """The archivist destroys a damaged copy and hands over a new one under
    the same number, on the same line (R-CTRL-4): no new line, the remark
    "<date> 破损，原件已销毁，同号换发", times_replaced counts it."""
    copy = locked_copy(copy)
    refuse_unless_archivist(by)
    if copy.state not in policies.COPY_OUT_STATES:
        refuse_state(copy, _("Copy %(number)s is %(state)s: it cannot be replaced."))
    if not policies.may_replace_damaged(by, copy):
        raise DocumentsRefused(
            _("“%(title)s” is %(state)s: no copies can be issued.")
            % {"title": copy.document.title, "state": copy.document.get_state_display()}
        )
    note = text(note, model=ControlledCopy, field="remark")
    copy.times_replaced += 1
    copy.damage_reported_at = None
    replaced = pgettext("distribution register remark", "damaged, the damaged copy destroyed, replaced under the same number")
    add_remark(copy, replaced, note)
    save_with_history(copy, by=by, reason=DocumentsReason.COPY_REPLACED_DAMAGED)
    notices.copy_handled(copy)
    return copy


def _refuse_unless_may_report(user, copy, wrong_state):
    if policies.may_report(user, copy):
        return
    if copy.state not in policies.COPY_OUT_STATES:
        refuse_state(copy, wrong_state)
    raise DocumentsRefused(
        _("Only the holder of copy %(number)s or the archivist reports it.") % {"number": copy.control_number}
    )


def _issue_replacement(lost, *, by):
    [(copy_number, control_number)] = numbering.allocate_copy_numbers(lost.document, 1)
    new_copy = ControlledCopy(
        document=lost.document,
        copy_number=copy_number,
        control_number=control_number,
        recipient_user=lost.recipient_user,
        recipient_department=lost.recipient_department,
        state=CopyState.ISSUED,
        issued_by=by,
        issued_at=timezone.now(),
        replaces=lost,
    )
    replaces = pgettext("distribution register remark", "replaces lost copy %(number)s")
    add_remark(new_copy, replaces % {"number": lost.control_number})
    return save_with_history(new_copy, by=by, reason=DocumentsReason.COPY_REPLACED_LOST)


def _values(copy, by):
    return {"person": by.display_name, "number": copy.control_number, "title": copy.document.title,
            "recipient": recipient_name(copy)}
