"""收文登记簿 / 发文登记表: the incoming or the outgoing register of a year
(R-SCOPE 3–4), every line in the order of its number: the document
number, date, sending department (发文单位 or 来文单位), receiving
departments (主送 or 收文部门), title, pages, urgency, who handled it, the
archive number it was filed under, and the note.

Read by the archivist and the department head (documents.policies.
may_view_documents), asked again when a background job builds it. A fixed
number of queries whatever the rows (the receivers are prefetched once per
500 rows as they are streamed)."""
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from core.text import join_items
from documents import policies
from documents.exceptions import DocumentsRefused
from documents.models import Direction
from documents.selectors import correspondence_lines
from records.models import Record
from records.printing import Column, TableRegister


def refuse_unless_may_view(reader):
    if not policies.may_view_documents(reader):
        raise DocumentsRefused(_("You may not print the correspondence registers."))


def receivers_text(line):
    return join_items([department.name for department in line.receivers.all()])


def _columns(direction):
    outgoing = direction == Direction.OUTGOING
    return [
        Column(gettext_lazy("Document number"), "number", width=18),
        Column(gettext_lazy("Date"), "document_date", width=11, align="center"),
        Column(pgettext_lazy("correspondence register", "Sending department") if outgoing
               else pgettext_lazy("correspondence register", "From"), "sender.name", width=12),
        Column(pgettext_lazy("correspondence register", "Sent to") if outgoing
               else pgettext_lazy("correspondence register", "Received by"), receivers_text, width=16),
        Column(gettext_lazy("Title"), "title", width=30),
        Column(gettext_lazy("Pages"), "pages", width=6, align="right"),
        Column(gettext_lazy("Urgency"), "get_urgency_display", width=7, align="center"),
        Column(gettext_lazy("Handled by"), "handler.display_name", width=9),
        Column(gettext_lazy("Archive number"), "record.archive_number", width=18),
        Column(gettext_lazy("Note"), "note", width=16),
    ]


def register_title(direction):
    if direction == Direction.OUTGOING:
        return pgettext("documents register", "Outgoing document register")
    return pgettext("documents register", "Incoming document register")


def correspondence_register(reader, direction, year=None):
    """收文登记簿 (incoming) or 发文登记表 (outgoing) of `year` (this year when None)."""
    refuse_unless_may_view(reader)
    year = year or timezone.localdate().year
    rows = correspondence_lines(direction=direction, year=year).order_by("serial")
    count = rows.count()
    slug = _("outgoing-register") if direction == Direction.OUTGOING else _("incoming-register")
    return TableRegister(
        title=register_title(direction),
        subtitle=_("Year %(year)d") % {"year": year},
        columns=_columns(direction),
        rows=rows,
        row_count=count,
        footer_lines=[_("Documents: %(count)d") % {"count": count}],
        signatures=[_("Compiled by"), _("Department head")],
        filename="-".join([slug, str(year)]),
        landscape=True,
        reader=reader,
        listed_records=Record.objects.filter(pk__in=rows.exclude(record=None).values("record_id")),
    )


def correspondence_register_from_form(reader, form):
    """The register a valid CorrespondenceRegisterForm selects (records.register_jobs)."""
    return correspondence_register(reader, form.cleaned_data["direction"], form.cleaned_data.get("year"))
