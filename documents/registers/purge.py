"""The certificate of an approved purge list (R-CTRL-7): the distribution
register lines disposed of when their retention ended (3 years after a
document was voided, 1 year after a time-limited one lapsed), who proposed
the list and when, who approved it and when. The lines stay in the
database, out of the register, and this certificate is their tombstone:
nothing leaves the register silently. A fixed number of queries whatever
the number of lines."""
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from documents.models import ControlledCopy
from documents.registers.common import moment_text, person, recipient_text, refuse_unless_may_view
from documents.registers.distribution import RemarkColumn, issued_on
from records.printing import Column, Summary, TableRegister


def purged_lines(purge):
    return (
        ControlledCopy.objects.filter(purge=purge)
        .select_related("document", "recipient_user", "recipient_department", "holder")
        .order_by("document__year", "document__serial", "copy_number")
    )


def document_end_text(copy):
    """How the document ended and on which day: 作废 2023-05-04."""
    document = copy.document
    ended = timezone.localdate(document.ended_at).isoformat() if document.ended_at else ""
    return " ".join(part for part in (str(document.get_state_display()), ended) if part)


COLUMNS = [
    Column(pgettext_lazy("controlled document", "Title"), "document.title", width=24),
    Column(pgettext_lazy("controlled document", "Document number"), "document.reference", width=16),
    Column(pgettext_lazy("controlled document", "Revision"), "document.revision", width=6, align="center"),
    Column(pgettext_lazy("controlled document", "Controlled number"), "control_number", width=17),
    Column(pgettext_lazy("distribution register", "Recipient"), recipient_text, width=16),
    Column(pgettext_lazy("purge certificate", "Issued on"), issued_on, width=11, align="center"),
    Column(pgettext_lazy("purge certificate", "Document ended"), document_end_text, width=16),
    RemarkColumn(pgettext_lazy("distribution register", "Remark"), "remark", width=24),
]


def heading_summary(purge, count):
    return Summary(
        heading=pgettext("purge certificate", "Purge list"),
        rows=[
            [pgettext("purge certificate", "Purge list number"), purge.number],
            [pgettext("purge certificate", "Proposed"), _("%(name)s, %(moment)s") % {
                "name": person(purge.proposed_by), "moment": moment_text(purge.proposed_at)}],
            [pgettext("purge certificate", "Approved"), _("%(name)s, %(moment)s") % {
                "name": person(purge.decided_by), "moment": moment_text(purge.decided_at)}],
            [pgettext("purge certificate", "Register lines disposed of"), count],
        ],
    )


def purge_certificate(reader, purge):
    """The certificate of the approved purge list `purge`."""
    lines = purged_lines(purge)
    count = lines.count()
    return TableRegister(
        title=pgettext("documents register", "Certificate of disposed distribution register lines"),
        subtitle=_("Purge list %(number)s") % {"number": purge.number},
        summaries=[heading_summary(purge, count)],
        columns=COLUMNS,
        rows=lines,
        row_count=count,
        footer_lines=[
            _("These lines were kept for their retention period and disposed of with the department head's "
              "approval; this certificate keeps their record.")
        ],
        signatures=[pgettext("a signature line", "Proposed by"), pgettext("a signature line", "Approved by")],
        filename="-".join([_("purge-certificate"), purge.number]),
        landscape=True,
        reader=reader,
    )


def purge_certificate_from_form(reader, form):
    """The certificate a valid PurgeCertificateForm selects (records.register_jobs)."""
    refuse_unless_may_view(reader)
    return purge_certificate(reader, form.cleaned_data["purge"])
