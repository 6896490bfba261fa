"""The lending register (借阅登记表): every loan handed out in a date range,
with who borrowed what, who signed, when it went out, when it was due and
came back, in what condition, and what happened to it (R-LEND-1, R-LEND-5,
R-LEND-6).

Rows come from `lending.selectors.lending_register_rows`, which starts from
`records.selectors.visible_records`: the register never lists a loan of a
record its reader may not see (R-LEND-4); each confidential record listed
leaves an access-log row when it is printed (R-ACCESS). It is printed by whoever keeps or
signs loans: the archivist (lending.handle_loan) and the department heads
(lending.approve_loan)."""
import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.text import join_clauses, join_items
from lending.exceptions import LendingRefused
from lending.models import ExtensionState, RequestKind
from lending.policies import may_print_lending_register
from lending.selectors import lending_register_rows
from records.models import Record
from records.printing import Column, TableRegister


def this_month(today=None):
    """(first day, last day) of the current month: the default range."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    next_month = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, next_month - datetime.timedelta(days=1)


def register_loans(user, date_from, date_to):
    """Loans and views in place handed out from `date_from` to `date_to`
    (local dates, both included) of records `user` may see, oldest first."""
    return lending_register_rows(user, date_from, date_to).prefetch_related("extensions")


def _name(user):
    return user.display_name if user is not None else ""


def borrower_department(loan):
    department = loan.borrower.department
    return department.name if department is not None else ""


def approvers(loan):
    """Who signed the request, with the step each signed (the IOU's lines,
    R-LEND-2/3/4)."""
    signed = [approval for approval in loan.request.approvals.all() if approval.approved]
    names = [
        _("%(name)s (%(step)s)") % {"name": _name(approval.approver), "step": approval.get_step_display()}
        for approval in signed
    ]
    return join_clauses(names) if names else _("None needed")


def condition(loan):
    """What the archivist found on return (R-LEND-6): pages and copies
    against the record as filed, damage, notes."""
    if loan.returned_at is None:
        return ""
    parts = []
    if loan.pages_returned is not None:
        parts.append(
            _("Pages %(returned)s of %(filed)s") % {"returned": loan.pages_returned, "filed": loan.record.pages}
        )
    if loan.copies_returned is not None:
        parts.append(
            _("copies %(returned)s of %(filed)s") % {"returned": loan.copies_returned, "filed": loan.record.copies}
        )
    parts.append(_("damaged") if loan.damaged else _("not damaged"))
    notes = " ".join(loan.condition_notes.split())
    if notes:
        parts.append(notes)
    return join_items(parts)


def remarks(loan, now=None):
    """Viewing in place, extensions, lateness and incidents (R-LEND-5): an
    incident stays in the remarks, marked resolved once it is."""
    now = now or timezone.now()
    parts = []
    if loan.request.kind == RequestKind.VIEW:
        parts.append(_("Viewed in place"))
    for extension in sorted(loan.extensions.all(), key=lambda extension: (extension.created_at, extension.pk)):
        values = {"date": timezone.localtime(extension.new_due_at).date().isoformat()}
        if extension.state == ExtensionState.APPROVED:
            parts.append(_("Extended to %(date)s") % values)
        elif extension.state == ExtensionState.PENDING:
            parts.append(_("Extension to %(date)s requested") % values)
        else:
            parts.append(_("Extension to %(date)s refused") % values)
    if loan.returned_at is None and loan.due_at < now:
        parts.append(_("Overdue"))
    for incident in sorted(loan.incidents.all(), key=lambda incident: (incident.opened_at, incident.pk)):
        if incident.resolved_at is None:
            parts.append(_("Open incident: %(kind)s") % {"kind": incident.get_kind_display()})
        else:
            parts.append(_("%(kind)s (resolved)") % {"kind": incident.get_kind_display()})
    return join_clauses(parts)


def lending_register(user, *, date_from, date_to):
    """借阅登记表 of the loans handed out from `date_from` to `date_to`,
    both included, as `user` may see them."""
    loans = register_loans(user, date_from, date_to)
    count = loans.count()
    returned = loans.filter(returned_at__isnull=False).count()
    now = timezone.now()
    return TableRegister(
        title=_("Lending register"),
        subtitle=_("Handed out from %(from)s to %(to)s")
        % {"from": date_from.isoformat(), "to": date_to.isoformat()},
        columns=[
            Column(gettext_lazy("Borrower"), lambda loan: _name(loan.borrower), width=11),
            Column(gettext_lazy("Department"), borrower_department, width=11),
            Column(gettext_lazy("Archive number"), "record.archive_number", width=24),
            Column(gettext_lazy("Title"), "record.title", width=30),
            Column(gettext_lazy("Security level"), "record.get_security_level_display", width=9, align="center"),
            Column(gettext_lazy("Approved by"), approvers, width=20),
            Column(gettext_lazy("Borrowed"), "out_at", width=15, align="center"),
            Column(gettext_lazy("Due"), "due_at", width=15, align="center"),
            Column(gettext_lazy("Returned"), "returned_at", width=15, align="center"),
            Column(gettext_lazy("Condition"), condition, width=18),
            Column(gettext_lazy("Remarks"), lambda loan: remarks(loan, now), width=20),
        ],
        rows=loans,
        row_count=count,
        footer_lines=[
            _("Loans: %(count)d · Returned: %(returned)d · Still out: %(out)d")
            % {"count": count, "returned": returned, "out": count - returned}
        ],
        signatures=[_("Kept by"), _("Checked by")],
        filename="-".join([_("lending-register"), date_from.isoformat(), date_to.isoformat()]),
        landscape=True,
        reader=user,
        listed_records=Record.objects.filter(pk__in=loans.values("record_id")),
    )


def lending_register_from_form(reader, form):
    """The register a valid LendingRegisterForm selects, for the background
    job too (records.register_jobs): the reader must still be allowed to
    print it when the job runs."""
    if not may_print_lending_register(reader):
        raise LendingRefused(_("You may not print the lending register."))
    return lending_register(reader, date_from=form.cleaned_data["date_from"], date_to=form.cleaned_data["date_to"])
