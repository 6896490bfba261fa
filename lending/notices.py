"""Lending's notices: its wording for approval needed, approved or refused,
extensions, incidents, due tomorrow and overdue. Each goes out through
accounts.notices.notify (an in-app notice written in the caller's
transaction, the same text mailed after it commits, so a refused or
rolled-back action mails nobody). `send_reminders` is the daily run behind
the send_loan_reminders command; `remind` is the archivist's 催还.

A notice that asks someone to act carries a subject (request_subject,
asked_subject, extension_subject, loan_subject); once the thing is handled,
by whoever, the services call the matching *_handled (or request_settled)
function and the notice leaves every recipient's counter and list of new
notices (issue 16)."""
import datetime

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.notices import notices_resolve, notify
from lending import policies
from lending.models import ExtensionState, Loan, ReminderKind, ReminderSent, RequestKind, RequestState


def page_url(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def _number(record):
    """Notices name a record by its archive number only: a recipient may not
    be allowed to see its title (an outside head signing, a refused viewer)."""
    return record.archive_number or "—"


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def request_subject(request):
    return f"lending.request:{request.pk}"


def asked_subject(request):
    """The archivists' notice of a request asked by archive number: its own
    subject, not request_subject, since it stays while the request goes
    from one signature to the next."""
    return f"lending.asked:{request.pk}"


def extension_subject(extension):
    return f"lending.extension:{extension.pk}"


def loan_subject(loan):
    return f"lending.loan:{loan.pk}"


def request_handled(request):
    """The request's signature was given or refused, or it was withdrawn:
    whoever else was asked to sign has nothing left to do."""
    return notices_resolve(subject=request_subject(request))


def request_settled(request):
    """The request is approved, refused, withdrawn or handed out: nobody is
    asked to sign it any more, and the archivists told when it was asked
    by archive number have nothing left to follow up."""
    return request_handled(request) + notices_resolve(subject=asked_subject(request))


def extension_handled(extension):
    return notices_resolve(subject=extension_subject(extension))


def loan_handled(loan):
    """The loan is closed: its reminders (due, overdue, 催还) are settled."""
    return notices_resolve(subject=loan_subject(loan))


def approval_needed(request):
    """To each person who may sign the request's next step; the notices of
    the step before (signed by one of its approvers) are cleared first."""
    request_handled(request)
    pending = policies.next_approval(request)
    if pending is None:
        return []
    text = _("%(requester)s asks to %(kind)s «%(record)s»; your signature as %(step)s is needed (%(reason)s).") % {
        "requester": request.requester.display_name,
        "kind": request.get_kind_display().lower(),
        "record": _number(request.record),
        "step": pending.label,
        "reason": pending.reason,
    }
    subject = request_subject(request)
    return [notify(approver, text, page_url("lending_inbox"), subject) for approver in pending.approvers]


def asked_by_number(*, requester, archive_number, kind, purpose, request, why):
    """To the archivists: someone asked by number for a record they cannot
    open (R-ACCESS). The asker was told only that the archive has the
    request; with no request made (`why` says why), the archivist answers.
    A request made carries asked_subject: once one archivist (or a head,
    or the asker) settles it, it leaves every archivist's counter. The
    "please answer them" notice has no subject: nothing in the application
    records the answer, so each archivist marks it read."""
    values = {
        "requester": requester.display_name,
        "kind": RequestKind(kind).label.lower() if kind in RequestKind.values else kind,
        "number": archive_number,
        "purpose": purpose,
        "why": why,
    }
    if request is not None and request.state == RequestState.APPROVED:
        # Nothing to sign (R-LEND-2): the archivist hands it out next.
        text = _(
            "%(requester)s asked by archive number to %(kind)s «%(number)s» (%(purpose)s); "
            "no signature is needed: it is ready to hand out or show."
        ) % values
        url, subject = page_url("lending_desk"), asked_subject(request)
    elif request is not None:
        text = _(
            "%(requester)s asked by archive number to %(kind)s «%(number)s» (%(purpose)s); "
            "the request waits for its approvals."
        ) % values
        url, subject = page_url("lending_desk"), asked_subject(request)
    else:
        text = _(
            "%(requester)s asked by archive number to %(kind)s «%(number)s» (%(purpose)s). No request was made; "
            "please answer them. Why: %(why)s"
        ) % values
        url, subject = "", ""
    archivists = [archivist for archivist in policies.handlers() if archivist.pk != requester.pk]
    return [notify(archivist, text, url, subject) for archivist in archivists]


def request_approved(request):
    # Nothing opens at approval: a view opens when it is handed over (R-LEND-4).
    text = _("Your request to %(kind)s «%(record)s» is approved; the archivist will hand it to you.")
    text = text % {"kind": request.get_kind_display().lower(), "record": _number(request.record)}
    return notify(request.requester, text, page_url("lending_mine"))


def request_refused(request, approver, reason):
    text = _("Your request to %(kind)s «%(record)s» was refused by %(approver)s: %(reason)s") % {
        "kind": request.get_kind_display().lower(),
        "record": _number(request.record),
        "approver": approver.display_name,
        "reason": reason,
    }
    return notify(request.requester, text, page_url("lending_mine"))


def extension_needed(extension):
    loan = extension.loan
    text = _("%(borrower)s asks to keep «%(record)s» until %(due)s: %(reason)s") % {
        "borrower": loan.borrower.display_name,
        "record": _number(loan.record),
        "due": _local(extension.new_due_at),
        "reason": extension.reason,
    }
    url, subject = page_url("lending_inbox"), extension_subject(extension)
    return [notify(approver, text, url, subject) for approver in policies.extension_approvers(loan)]


def extension_decided(extension):
    loan = extension.loan
    if extension.state == ExtensionState.APPROVED:
        text = _("Your loan of «%(record)s» is extended until %(due)s.")
    else:
        text = _("The extension of your loan of «%(record)s» was refused: %(reason)s")
    text = text % {
        "record": _number(loan.record), "due": _local(extension.new_due_at), "reason": extension.decision_reason
    }
    recipients = {loan.borrower_id: loan.borrower, extension.requested_by_id: extension.requested_by}
    return [notify(user, text, page_url("lending_mine")) for user in recipients.values()]


def due_tomorrow(loan):
    text = _("Please return «%(record)s» to the archive by %(due)s (due tomorrow).") % {
        "record": _number(loan.record),
        "due": _local(loan.due_at),
    }
    return [notify(loan.borrower, text, page_url("lending_mine"), loan_subject(loan))]


def overdue(loan):
    """To the borrower and to the archivists (R-LEND-5)."""
    text = _("«%(record)s», lent to %(borrower)s, was due back on %(due)s and is overdue.") % {
        "record": _number(loan.record),
        "borrower": loan.borrower.display_name,
        "due": _local(loan.due_at),
    }
    subject = loan_subject(loan)
    notices = [notify(loan.borrower, text, page_url("lending_mine"), subject)]
    for archivist in policies.handlers():
        if archivist.pk != loan.borrower_id:
            notices.append(notify(archivist, text, page_url("lending_desk"), subject))
    return notices


def remind(loan, by):
    """The archivist's 催还 of an overdue loan: to the borrower, in the
    app and by mail."""
    text = _("Please return «%(record)s» to the archive: it was due back on %(due)s. Reminder from %(by)s.") % {
        "record": _number(loan.record),
        "due": _local(loan.due_at),
        "by": by.display_name,
    }
    return notify(loan.borrower, text, page_url("lending_mine"), loan_subject(loan))


def incident_opened(incident):
    text = _("%(kind)s: «%(record)s» on your loan. %(description)s") % {
        "kind": incident.get_kind_display(),
        "record": _number(incident.record),
        "description": incident.description,
    }
    return notify(incident.borrower, text, page_url("lending_mine"))


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def send_reminders(today):
    """Remind borrowers of loans due tomorrow, and borrowers and archivists
    of overdue loans (due on a day before `today`). Each loan is reminded at
    most once per kind and day: the ReminderSent row (unique per loan, kind,
    day) is written in the same transaction as the notices, so a second run,
    even a concurrent one, sends nothing again. Returns the count per kind."""
    start = _start_of(today)
    open_loans = Loan.objects.filter(returned_at__isnull=True).select_related("borrower", "record").order_by("pk")
    batches = [
        (
            ReminderKind.DUE_TOMORROW,
            open_loans.filter(due_at__gte=start + datetime.timedelta(days=1), due_at__lt=start + datetime.timedelta(days=2)),
            due_tomorrow,
        ),
        (ReminderKind.OVERDUE, open_loans.filter(due_at__lt=start), overdue),
    ]
    sent = {kind: 0 for kind, _loans, _send in batches}
    for kind, loans, send in batches:
        for loan in loans:
            with transaction.atomic():
                _reminder, created = ReminderSent.objects.get_or_create(loan=loan, kind=kind, day=today)
                if created:
                    send(loan)
                    sent[kind] += 1
    return sent
