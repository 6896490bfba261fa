"""Void, recall, return, destroy, the reference copy, and lapse (R-CTRL-5).

A void document is recalled: every copy still out (issued or signed for)
is marked recalled with a dated remark and its holder told to return it;
the archivist records each return, then destroys the returned copy or keeps
one as the reference copy, marked 作废. Outstanding recalls are reminded
every DocumentsPolicy.recall_reminder_days by a daily job, or at once by
the archivist. A time-limited document simply lapses after its last valid
day: its copies lapse with it, nobody is recalled or told (the selectors
treat it as lapsed even before the daily job has run)."""
import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.history import save_with_history
from documents import notices, policies
from documents.exceptions import DocumentsRefused
from documents.models import ControlledCopy, ControlledDocument, CopyState, DocumentsPolicy, DocumentState
from documents.reasons import DocumentsReason
from documents.services._core import add_remark, locked_copy, locked_document, text
from documents.services._lifecycle import people_to_tell, refuse_document_state, tell_to_return

VOIDABLE_STATES = (DocumentState.READY, DocumentState.IN_FORCE)


def _refuse_unless_archivist(by):
    if not policies.may_distribute(by):
        raise DocumentsRefused(_("Only the archivist recalls, takes back and destroys controlled copies."))


def recall_out_copies(*, document, by, remark):
    """Every copy of `document` still out (issued or signed for) becomes
    RECALLED with the dated `remark`, and each holder (or addressee) is told
    to return it (R-CTRL-5). Runs in the caller's transaction, which has
    locked the document; the document is ending (void or superseded), so
    nobody is asked any more to sign for its copies or to replace its lost
    or damaged ones (documents.notices). Returns how many copies were
    recalled."""
    copies = list(
        ControlledCopy.objects.select_for_update()
        .filter(document=document, state__in=policies.COPY_OUT_STATES)
        .order_by("copy_number")
    )
    now = timezone.now()
    for copy in copies:
        copy.state, copy.recalled_at = CopyState.RECALLED, now
        add_remark(copy, remark)
        save_with_history(copy, by=by, reason=DocumentsReason.COPY_RECALLED)
    if copies:
        tell_to_return(
            copies,
            _("Controlled document %(serial)s is recalled: return your copy %(numbers)s to the archivist."),
            {"serial": document_label(document)},
        )
    notices.signing_handled(copies)
    notices.document_ended(document)
    return len(copies)


def document_label(document):
    """The document's number in its year and revision, as notices name it
    (never its title: notices go by mail)."""
    return _("%(year)s-%(serial)03d (revision %(revision)s)") % {
        "year": document.year,
        "serial": document.serial,
        "revision": document.revision,
    }


def is_lapsed(document, today=None):
    """Time-limited and past its last valid day (R-CTRL-5), whether or not
    the daily job has marked it LAPSED yet."""
    return document.state == DocumentState.LAPSED or policies.is_past_end(document, today)


@transaction.atomic
def document_void(*, document, by, reason):
    """Void a document ready or in force (R-CTRL-5): it ends (who, when,
    why) and every copy still out is recalled. Refused for a document
    already void, superseded or lapsed (a lapsed one is not recalled)."""
    _refuse_unless_archivist(by)
    document = locked_document(document)
    if document.state not in VOIDABLE_STATES:
        refuse_document_state(document)
    if is_lapsed(document):
        refuse_document_state(
            document,
            _("%(title)s lapsed after %(date)s: a lapsed document is not voided or recalled.")
            % {"title": document.title, "date": f"{document.valid_until:%Y-%m-%d}"},
        )
    reason = text(reason, model=ControlledDocument, field="end_reason", missing=_("Reason: say why it is void."))
    document.state, document.ended_by, document.ended_at = DocumentState.VOID, by, timezone.now()
    document.end_reason = reason
    save_with_history(document, by=by, reason=DocumentsReason.VOIDED)
    recall_out_copies(document=document, by=by, remark=pgettext("distribution register remark", "void, recalled"))
    return document


def _locked_in_state(copy, state, message):
    copy = locked_copy(copy)
    if copy.state != state:
        raise DocumentsRefused(message % {"number": copy.control_number, "state": copy.get_state_display()})
    return copy


@transaction.atomic
def copy_return(*, copy, by):
    """The archivist takes back a recalled copy (R-CTRL-5)."""
    _refuse_unless_archivist(by)
    copy = _locked_in_state(copy, CopyState.RECALLED, _("Copy %(number)s is %(state)s, not awaiting its return."))
    copy.state, copy.returned_at, copy.returned_to = CopyState.RETURNED, timezone.now(), by
    add_remark(copy, pgettext("distribution register remark", "returned"))
    save_with_history(copy, by=by, reason=DocumentsReason.COPY_RETURNED)
    notices.returns_handled(people_to_tell([copy]))
    return copy


@transaction.atomic
def copy_destroy(*, copy, by):
    """A returned copy is destroyed, and the register says so (R-CTRL-5)."""
    _refuse_unless_archivist(by)
    copy = _locked_in_state(
        copy, CopyState.RETURNED, _("Copy %(number)s is %(state)s: only a returned copy is destroyed.")
    )
    copy.state, copy.destroyed_at, copy.destroyed_by = CopyState.DESTROYED, timezone.now(), by
    add_remark(copy, pgettext("distribution register remark", "destroyed"))
    return save_with_history(copy, by=by, reason=DocumentsReason.COPY_DESTROYED)


@transaction.atomic
def copy_keep_for_reference(*, copy, by):
    """One returned copy of a document may be kept for reference, marked
    作废 (R-CTRL-5); its download is stamped void. At most one per document:
    the document is locked first, so two archivists at once keep one."""
    _refuse_unless_archivist(by)
    copy = _locked_in_state(copy, CopyState.RETURNED, _("Copy %(number)s is %(state)s: only a returned copy is kept."))
    kept = ControlledCopy.objects.filter(document_id=copy.document_id, state=CopyState.REFERENCE).first()
    if kept is not None:
        raise DocumentsRefused(
            _("Copy %(number)s is already kept for reference: destroy this one.") % {"number": kept.control_number}
        )
    copy.state = CopyState.REFERENCE
    add_remark(copy, pgettext("distribution register remark", "kept for reference, void"))
    return save_with_history(copy, by=by, reason=DocumentsReason.COPY_KEPT_FOR_REFERENCE)


def _remind(copies, now, by):
    for copy in copies:
        copy.last_reminded_at = now
        save_with_history(copy, by=by, reason=DocumentsReason.COPY_RECALL_REMINDED)
    tell_to_return(copies, _("Reminder: return the recalled controlled copies %(numbers)s to the archivist."))
    return len(copies)


def recalls_due_for_reminder(now=None):
    """Recalled copies not reminded (nor recalled) within the policy's
    recall_reminder_days (R-CTRL-5)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=DocumentsPolicy.current().recall_reminder_days)
    recalled = ControlledCopy.objects.filter(state=CopyState.RECALLED, purge=None)
    return recalled.filter(last_reminded_at=None, recalled_at__lte=cutoff) | recalled.filter(
        last_reminded_at__lte=cutoff
    )


@transaction.atomic
def send_recall_reminders(now=None):
    """The daily job: remind the holders of recalled copies not returned
    and not reminded within DocumentsPolicy.recall_reminder_days, one
    notice per person (R-CTRL-5). Returns how many copies were reminded."""
    now = now or timezone.now()
    copies = list(recalls_due_for_reminder(now).select_for_update().order_by("pk"))
    return _remind(copies, now, None)


@transaction.atomic
def recall_remind(*, document, by):
    """The archivist reminds at once every holder of a copy of `document`
    still not returned. Returns how many copies were reminded."""
    _refuse_unless_archivist(by)
    document = locked_document(document)
    copies = list(
        ControlledCopy.objects.select_for_update().filter(document=document, state=CopyState.RECALLED).order_by("pk")
    )
    if not copies:
        raise DocumentsRefused(_("No copy of %(title)s is awaiting its return.") % {"title": document.title})
    return _remind(copies, timezone.now(), by)


def _lapse(document):
    """The document and its copies still out lapse at the end of its last
    valid day; the remark names the first day it is no longer valid."""
    first_day = document.valid_until + datetime.timedelta(days=1)
    moment = timezone.make_aware(datetime.datetime.combine(first_day, datetime.time()))
    document.state, document.ended_at = DocumentState.LAPSED, moment
    save_with_history(document, reason=DocumentsReason.LAPSED)
    copies = ControlledCopy.objects.select_for_update().filter(document=document, state__in=policies.COPY_OUT_STATES)
    copies = list(copies.order_by("copy_number"))
    for copy in copies:
        copy.state = CopyState.LAPSED
        add_remark(copy, pgettext("distribution register remark", "lapsed"), on=first_day)
        save_with_history(copy, reason=DocumentsReason.COPY_LAPSED)
    # Nobody is told of a lapse, but nothing is left to sign for or replace.
    notices.signing_handled(copies)
    notices.document_ended(document)


def documents_lapse_due(today=None):
    """The daily job: time-limited documents ready or in force whose last
    valid day is before `today` become LAPSED with their copies still out,
    without any recall or notice (R-CTRL-5). One transaction per document.
    Returns how many documents lapsed."""
    today = today or timezone.localdate()
    due = ControlledDocument.objects.filter(policies.past_end_condition(today)).order_by("pk")
    lapsed = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            document = ControlledDocument.objects.select_for_update().get(pk=pk)
            if policies.is_past_end(document, today):
                _lapse(document)
                lapsed += 1
    return lapsed
